import { createRoute, z } from '@hono/zod-openapi';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idParam, json } from '../schemas';
import { requireTenantAction, siteFor } from '../site-access';
import { notFound } from '../../domain/errors';
import { personActor } from '../../domain/audit/admin-audit';

const issue = createRoute({
  method: 'post',
  path: '/api/v1/sites/{siteId}/edge-tokens',
  tags: ['edges'],
  summary: "Issue an edge token for a site's gateway (tenant-admin)",
  security: bearer,
  request: { params: z.object({ siteId: idParam('siteId') }) },
  responses: {
    201: {
      description: 'token: pass it to the gateway as `npm run edge -- --site SITE --cloud URL --token TOKEN`',
      ...json(
        z
          .object({ token: z.string(), jti: z.string(), expiresAt: z.number(), siteId: z.string() })
          .openapi('EdgeToken'),
      ),
    },
    ...errors(401, 403, 404),
  },
});

const list = createRoute({
  method: 'get',
  path: '/api/v1/sites/{siteId}/edge-tokens',
  tags: ['edges'],
  summary: "A site's edge token ids and whether they are revoked (tenant-admin)",
  security: bearer,
  request: { params: z.object({ siteId: idParam('siteId') }) },
  responses: {
    200: {
      description: 'tokens',
      ...json(
        z.array(z.object({ jti: z.string(), createdAt: z.number().optional(), revokedAt: z.number().nullable() })),
      ),
    },
    ...errors(401, 403, 404),
  },
});

const revoke = createRoute({
  method: 'delete',
  path: '/api/v1/edge-tokens/{jti}',
  tags: ['edges'],
  summary: 'Revoke an edge token; its live link is closed at once (tenant-admin)',
  security: bearer,
  request: {
    params: z.object({
      jti: z
        .string()
        .uuid()
        .openapi({ param: { name: 'jti', in: 'path' } }),
    }),
  },
  responses: { 204: { description: 'revoked' }, ...errors(401, 403, 404) },
});

export function edgeTokenRoutes(ctx: CloudContext) {
  return router()
    .openapi(issue, async (c) => {
      const user = c.get('user');
      const { siteId } = c.req.valid('param');
      requireTenantAction(user, { type: 'edges.manage' });
      await siteFor(ctx, user, siteId, { type: 'site.read', siteId });
      const t = await ctx.auth.edgeToken(user.tenantId, siteId);
      await ctx.audit.append(user.tenantId, {
        ...personActor(user),
        action: 'edge-token.issue',
        target: `${siteId}/${t.jti}`,
        result: 'ok',
        siteId,
        source: c.get('source'),
      });
      return c.json({ ...t, siteId }, 201);
    })
    .openapi(list, async (c) => {
      const user = c.get('user');
      const { siteId } = c.req.valid('param');
      requireTenantAction(user, { type: 'edges.manage' });
      await siteFor(ctx, user, siteId, { type: 'site.read', siteId });
      return c.json(
        (await ctx.tokens.edgeTokensOfSite(user.tenantId, siteId)).map(({ jti, createdAt, revokedAt }) => ({ jti, createdAt, revokedAt })),
        200,
      );
    })
    .openapi(revoke, async (c) => {
      const user = c.get('user');
      const { jti } = c.req.valid('param');
      requireTenantAction(user, { type: 'edges.manage' });
      if (!await ctx.tokens.revokeEdgeToken(user.tenantId, jti)) throw notFound('edge token');
      await ctx.hub.dropToken(jti);
      await ctx.audit.append(user.tenantId, {
        ...personActor(user),
        action: 'edge-token.revoke',
        target: jti,
        result: 'ok',
        source: c.get('source'),
      });
      return c.body(null, 204);
    });
}
