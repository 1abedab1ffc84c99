import { createRoute, z } from '@hono/zod-openapi';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { notFound } from '../../domain/errors';
import { facilityOnly } from '../../domain/site-devices';
import { DEVICE_HEALTH, healthOf } from '../../domain/fleet-health';
import { idParam, json } from '../schemas';
import { siteFor } from '../site-access';

const deviceHealth = z
  .object({
    availability: z
      .array(z.object({ from: z.number(), to: z.number().optional(), state: z.enum(['online', 'offline']) }))
      .openapi({ description: 'availability over the last 7 days, oldest first; the last span has no `to` while it lasts' }),
    uptimePct7d: z.number().nullable().openapi({ description: 'share online of the part of the 7 days known, in %; null while nothing is known' }),
    health: z.enum(DEVICE_HEALTH),
    errors24h: z.number(),
    flapping: z.boolean(),
    battery: z.number().optional(),
    firmware: z.string().optional(),
    lastSeenAt: z.number().optional(),
  })
  .openapi('DeviceHealth');

const health = createRoute({
  method: 'get',
  path: '/api/v1/sites/{siteId}/devices/{deviceId}/health',
  tags: ['devices'],
  summary: "One device's availability over the last 7 days, its uptime and its last reported health (vendors: facility devices)",
  security: bearer,
  request: { params: z.object({ siteId: idParam('siteId'), deviceId: idParam('deviceId') }) },
  responses: { 200: { description: 'the device’s health', ...json(deviceHealth) }, ...errors(400, 401, 403, 404) },
});

/** A device's health history, scoped like the fleet list: the caller's tenant, their sites, vendors facility devices only. */
export function deviceHealthRoutes(ctx: CloudContext) {
  return router().openapi(health, async (c) => {
    const user = c.get('user');
    const { siteId, deviceId } = c.req.valid('param');
    const site = await siteFor(ctx, user, siteId, { type: 'site.read', siteId });
    const all = ctx.devices.reported(site.tenantId, site.id) ?? [];
    // Threat: a vendor learning of a client's doors and cameras by asking for their ids.
    const device = (user.role === 'vendor' ? facilityOnly(all) : all).find((d) => d.id === deviceId);
    if (!device) throw notFound('device');
    const { availability, uptimePct } = await ctx.availability.history(site.tenantId, site.id, deviceId, Date.now());
    return c.json(
      {
        availability,
        uptimePct7d: uptimePct,
        health: healthOf(device, ctx.status.isOnline(site.tenantId, site.id)),
        errors24h: device.errors24h ?? 0,
        flapping: device.flapping === true,
        ...(device.battery !== undefined ? { battery: device.battery } : {}),
        ...(device.firmware ? { firmware: device.firmware } : {}),
        ...(device.lastSeenAt !== undefined ? { lastSeenAt: device.lastSeenAt } : {}),
      },
      200,
    );
  });
}
