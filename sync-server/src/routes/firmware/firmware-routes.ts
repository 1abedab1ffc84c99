import { createRoute, z } from '@hono/zod-openapi';
import { authorize, idSchema, MAX_DEVICES_PER_SITE, ROLLOUT_DEVICE_STATES, userCoversSite } from '@cr/shared';
import type { CloudContext } from '../../context';
import type { RolloutRecord } from '../../store/firmware-rollouts-store';
import { bearer, errors, router } from '../../http/api-types';
import { forbidden, notFound } from '../../domain/errors';
import { idParam, json } from '../schemas';
import { siteFor } from '../site-access';

const rolloutBody = z
  .strictObject({
    deviceIds: z
      .array(idSchema)
      .min(1, 'deviceIds must name at least one device')
      .max(MAX_DEVICES_PER_SITE)
      .refine((ids) => new Set(ids).size === ids.length, 'deviceIds must not repeat a device'),
    version: z.string().min(1).max(60),
    url: z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), 'url must be http(s)'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits'),
    batchSize: z.number().int().min(1, 'batchSize must be at least 1').max(MAX_DEVICES_PER_SITE),
    maxFailures: z.number().int().min(0, 'maxFailures must be 0 or more').max(MAX_DEVICES_PER_SITE),
    batchWaitSec: z.number().int().min(0, 'batchWaitSec must be 0 or more').max(24 * 3600).optional().openapi({ description: 'seconds to wait after a batch ended before the next is sent' }),
  })
  .openapi('FirmwareRolloutRequest');

const rolloutSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    version: z.string(),
    state: z.enum(['running', 'done', 'aborted']),
    batchSize: z.number(),
    maxFailures: z.number(),
    batchWaitSec: z.number().optional(),
    waiting: z.string().optional().openapi({ description: 'why queued devices are not sent now: a maintenance window not open (doors, readers, fire panels), the wait between batches' }),
    createdAt: z.number(),
    updatedAt: z.number(),
    devices: z.array(z.object({ deviceId: z.string(), state: z.enum(ROLLOUT_DEVICE_STATES), error: z.string().optional() })),
  })
  .openapi('FirmwareRollout');

const create = createRoute({
  method: 'post',
  path: '/api/v1/sites/{siteId}/firmware-rollouts',
  tags: ['firmware'],
  summary: 'Roll a firmware version out to devices of the site, batchSize at a time (batchWaitSec apart), aborting after maxFailures; doors, readers and fire panels only inside a maintenance window (tenant-admin)',
  security: bearer,
  request: { params: z.object({ siteId: idParam('siteId') }), body: { ...json(rolloutBody), required: true } },
  responses: { 201: { description: 'started', ...json(rolloutSchema) }, ...errors(400, 401, 403, 404) },
});

const read = createRoute({
  method: 'get',
  path: '/api/v1/firmware-rollouts/{id}',
  tags: ['firmware'],
  summary: "A firmware rollout and each device's state",
  security: bearer,
  request: { params: z.object({ id: z.string().uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
  responses: { 200: { description: 'rollout', ...json(rolloutSchema) }, ...errors(400, 401, 403, 404) },
});

const view = (r: RolloutRecord) => ({
  id: r.id,
  siteId: r.siteId,
  version: r.version,
  state: r.state,
  batchSize: r.batchSize,
  maxFailures: r.maxFailures,
  ...(r.batchWaitSec ? { batchWaitSec: r.batchWaitSec } : {}),
  ...(r.waiting ? { waiting: r.waiting } : {}),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  devices: r.devices,
});

/** CONTRACT.md §6, firmware: start a rollout, follow it. */
export function firmwareRoutes(ctx: CloudContext) {
  return router()
    .openapi(create, async (c) => {
      const user = c.get('user');
      const { siteId } = c.req.valid('param');
      await siteFor(ctx, user, siteId, { type: 'firmware.manage' });
      return c.json(view(await ctx.firmware.create(user, siteId, c.req.valid('json'), c.get('source'))), 201);
    })
    .openapi(read, async (c) => {
      const user = c.get('user');
      const r = await ctx.firmware.get(user.tenantId, c.req.valid('param').id);
      // A rollout of a site outside the caller's scope does not exist for them.
      if (!userCoversSite(user, r.siteId)) throw notFound('firmware rollout');
      const decision = authorize(user, r.tenantId, { type: 'firmware.read', siteId: r.siteId });
      if (!decision.allowed) throw forbidden(decision.reason ?? 'not allowed');
      return c.json(view(r), 200);
    });
}
