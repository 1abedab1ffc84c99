import { createRoute, z } from '@hono/zod-openapi';
import { ID_PATTERN } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { json, msQuery } from '../schemas';
import { requireTenantAction, siteFor } from '../site-access';

const recordSchema = z
  .object({
    id: z.string(),
    ts: z.number(),
    actor: z.string(),
    action: z.string(),
    target: z.string(),
    result: z.string(),
    siteId: z.string().optional(),
    source: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('AuditRecord');

const list = createRoute({
  method: 'get',
  path: '/api/v1/audit',
  tags: ['audit'],
  summary: 'The append-only audit log, newest first (site managers: their sites only)',
  security: bearer,
  request: {
    query: z.strictObject({
      siteId: z.string().regex(ID_PATTERN).optional(),
      from: msQuery.optional(),
      to: msQuery.optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    }),
  },
  responses: { 200: { description: 'records', ...json(z.array(recordSchema)) }, ...errors(400, 401, 403, 404) },
});

export function auditRoutes(ctx: CloudContext) {
  return router().openapi(list, async (c) => {
    const user = c.get('user');
    const q = c.req.valid('query');
    if (q.siteId) await siteFor(ctx, user, q.siteId, { type: 'audit.read', siteId: q.siteId });
    else requireTenantAction(user, { type: 'audit.read' });
    const scoped = user.role === 'site-manager' ? user.siteIds : undefined;
    return c.json(
      await ctx.audit.query({
        tenantId: user.tenantId,
        siteId: q.siteId,
        siteIds: scoped,
        from: q.from,
        to: q.to,
        limit: q.limit,
      }),
      200,
    );
  });
}
