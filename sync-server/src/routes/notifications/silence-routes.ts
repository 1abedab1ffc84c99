import { createRoute, z } from '@hono/zod-openapi';
import { alertTypeSchema, ID_PATTERN } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { json } from '../schemas';
import { createdId, recordIdParam } from './notification-schemas';

const tags = ['notifications'];
const epochMs = z.number().int().nonnegative();

export const silenceBody = z
  .strictObject({
    siteId: z.string().regex(ID_PATTERN, 'must be a site id'),
    deviceId: z.string().regex(ID_PATTERN, 'must be a device id').optional().openapi({ description: 'absent: the whole site' }),
    types: z.array(alertTypeSchema).min(1).max(40).optional().openapi({ description: 'absent: every alert type' }),
    startsAt: epochMs.optional().openapi({ description: 'epoch ms; absent: now. Later than now: a maintenance window' }),
    endsAt: epochMs.openapi({ description: 'epoch ms, after the start, at most 30 days ahead' }),
    reason: z.string().min(1).max(500),
  })
  .openapi('NotificationSilenceBody');

export const silenceView = z
  .object({
    id: z.string(),
    siteId: z.string(),
    deviceId: z.string().optional(),
    types: z.array(z.string()).optional(),
    startsAt: z.number(),
    endsAt: z.number(),
    reason: z.string(),
    author: z.object({ id: z.string(), name: z.string() }),
    createdAt: z.number(),
    endedAt: z.number().optional(),
  })
  .openapi('NotificationSilence');

const create = createRoute({
  method: 'post',
  path: '/api/v1/notifications/silences',
  tags,
  summary:
    "Quiet a site's (or one device's, or some alert types') notifications until a time: a silence, or a maintenance window when it starts later. The console still shows and sounds the alerts; notifications of those still open when it ends are sent then (HQ, tenant-admin; site managers for their sites)",
  security: bearer,
  request: { body: { ...json(silenceBody), required: true } },
  responses: { 201: { description: 'created', ...json(createdId) }, ...errors(400, 401, 403, 404) },
});

const list = createRoute({
  method: 'get',
  path: '/api/v1/notifications/silences',
  tags,
  summary: 'Active and upcoming silences of the sites the caller sees, earliest start first',
  security: bearer,
  responses: { 200: { description: 'silences', ...json(z.array(silenceView)) }, ...errors(401, 403) },
});

const end = createRoute({
  method: 'delete',
  path: '/api/v1/notifications/silences/{silenceId}',
  tags,
  summary: 'End a silence now (HQ, tenant-admin; site managers for their sites)',
  security: bearer,
  request: { params: z.object({ silenceId: recordIdParam('silenceId') }) },
  responses: { 204: { description: 'ended' }, ...errors(400, 401, 403, 404, 409) },
});

/** Silences and maintenance windows. */
export function silenceRoutes(ctx: CloudContext) {
  const silences = ctx.notifications.silences;
  return router()
    .openapi(create, async (c) => c.json(await silences.create(c.get('user'), c.req.valid('json'), c.get('source')), 201))
    .openapi(list, async (c) => c.json(await silences.list(c.get('user')), 200))
    .openapi(end, async (c) => {
      await silences.end(c.get('user'), c.req.valid('param').silenceId, c.get('source'));
      return c.body(null, 204);
    });
}
