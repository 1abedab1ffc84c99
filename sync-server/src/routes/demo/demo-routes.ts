import { createRoute, z } from '@hono/zod-openapi';
import { DEMO_TENANT } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idParam, json } from '../schemas';
import { requireTenantAction, siteFor } from '../site-access';
import { notFound } from '../../domain/errors';

const edgeToken = createRoute({
  method: 'get',
  path: '/api/v1/demo/edge-token/{siteId}',
  tags: ['demo'],
  summary: 'An edge token for a demo site (tenant-admin, demo mode only)',
  security: bearer,
  request: { params: z.object({ siteId: idParam('siteId') }) },
  responses: { 200: { description: 'token', ...json(z.object({ token: z.string() })) }, ...errors(401, 403, 404) },
});

/**
 * Demo-only routes. Without `--demo` they are not mounted at all (404, and absent from the OpenAPI
 * document): a real deployment offers no way to mint tokens outside the audited edge-token route.
 */
export function demoRoutes(ctx: CloudContext) {
  if (!ctx.config.demo) return router();
  return router().openapi(edgeToken, async (c) => {
    const user = c.get('user');
    const { siteId } = c.req.valid('param');
    if (user.tenantId !== DEMO_TENANT.id) throw notFound('demo');
    requireTenantAction(user, { type: 'edges.manage' });
    await siteFor(ctx, user, siteId, { type: 'site.read', siteId });
    const { token } = await ctx.auth.edgeToken(user.tenantId, siteId);
    return c.json({ token }, 200);
  });
}
