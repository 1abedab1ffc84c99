import { createRoute, z } from '@hono/zod-openapi';
import { authorize, listAlerts, siteDocName, type AlertView } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { json } from '../schemas';
import { siteFor, visibleSites } from '../site-access';
import { ID_PATTERN } from '@cr/shared';

const entry = z.object({ by: z.string(), at: z.number(), where: z.string() });
const alertSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    type: z.string(),
    category: z.string(),
    severity: z.string(),
    state: z.enum(['open', 'acknowledged', 'resolved']),
    raisedAt: z.number(),
    deviceId: z.string().optional(),
    zoneId: z.string().optional(),
    message: z.string().optional(),
    source: z.string(),
    acks: z.array(entry),
    resolutions: z.array(entry.extend({ reason: z.string().optional() })),
    assignee: z.string().optional(),
    notes: z.array(entry.extend({ id: z.string(), text: z.string() })),
    causes: z.array(
      z.object({ state: z.enum(['cleared', 'active']), by: z.string(), at: z.number(), reason: z.string().optional() }),
    ),
    causeCleared: z.boolean().openapi({ description: 'the cause is gone; the alarm stays until a person resolves it' }),
    clearedAt: z.number().optional(),
    resolvedAt: z.number().optional(),
  })
  .openapi('Alert');

const list = createRoute({
  method: 'get',
  path: '/api/v1/alerts',
  tags: ['alerts'],
  summary: 'Alerts of the sites the caller may see, from the site documents (vendors: facility faults only)',
  security: bearer,
  request: {
    query: z.strictObject({
      siteId: z.string().regex(ID_PATTERN).optional(),
      state: z.enum(['open', 'acknowledged', 'resolved', 'unresolved']).optional(),
    }),
  },
  responses: { 200: { description: 'alerts', ...json(z.array(alertSchema)) }, ...errors(400, 401, 403, 404) },
});

const view = (a: AlertView): z.infer<typeof alertSchema> => {
  const { assignments: _a, ...rest } = a;
  return rest;
};

export function alertRoutes(ctx: CloudContext) {
  return router().openapi(list, async (c) => {
    const user = c.get('user');
    const { siteId, state } = c.req.valid('query');
    const sites = siteId ? [await siteFor(ctx, user, siteId, { type: 'site.read', siteId })] : await visibleSites(ctx, user);
    const alerts =
      user.role === 'vendor'
        ? await ctx.vendors.alertsFor(
            user.tenantId,
            sites.map((s) => s.id),
          )
        : (await Promise.all(sites.map((s) => ctx.docs.read(siteDocName(s.tenantId, s.id), listAlerts)))).flat();
    // Threat: a category the role may not see (vendors and security incidents) leaking through REST.
    const allowed = alerts.filter(
      (a) => authorize(user, user.tenantId, { type: 'alert.read', siteId: a.siteId, category: a.category }).allowed,
    );
    const filtered = allowed.filter(
      (a) => !state || (state === 'unresolved' ? a.state !== 'resolved' : a.state === state),
    );
    return c.json(filtered.sort((a, b) => b.raisedAt - a.raisedAt).map(view), 200);
  });
}
