import { createRoute, z } from '@hono/zod-openapi';
import { DEVICE_KINDS, ID_PATTERN, LOW_BATTERY_PCT, type ReportedDevice } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { facilityOnly } from '../../domain/site-devices';
import { json } from '../schemas';
import { siteFor, visibleSites } from '../site-access';
import { deviceHealthRoutes } from './device-health-routes';
import { DEVICE_HEALTH, HEALTH_FILTERS, healthOf, matchesHealth, type DeviceHealth } from '../../domain/fleet-health';

export { healthOf } from '../../domain/fleet-health';

const fleetDevice = z
  .object({
    siteId: z.string(),
    id: z.string(),
    kind: z.enum(DEVICE_KINDS),
    name: z.string(),
    zoneId: z.string().optional(),
    model: z.string().optional(),
    firmware: z.string().optional(),
    approval: z.enum(['pending', 'approved']),
    health: z.enum(DEVICE_HEALTH).openapi({ description: 'offline also when the whole site is offline (its last report is not current)' }),
    siteLastSeenAt: z.number().optional(),
    lastSeenAt: z.number().optional().openapi({ description: "when the site's edge last heard from the device (edge clock)" }),
    battery: z.number().optional().openapi({ description: 'charge in %, battery-powered devices that report it' }),
    errors24h: z.number().openapi({ description: 'faults and malformed payloads of the last 24 h, as the edge last counted' }),
    flapping: z.boolean().openapi({ description: 'a flapping episode (device.flapping) is open' }),
  })
  .openapi('FleetDevice');
export type FleetDevice = z.infer<typeof fleetDevice>;

const list = createRoute({
  method: 'get',
  path: '/api/v1/devices',
  tags: ['devices'],
  summary:
    'Every device of the sites the caller sees, as their edges last reported them, filtered by site, kind, model, firmware and health (vendors: facility devices)',
  security: bearer,
  request: {
    query: z.strictObject({
      siteId: z.string().regex(ID_PATTERN, 'must be a site id').optional(),
      kind: z.enum(DEVICE_KINDS).optional(),
      model: z.string().min(1).max(120).optional(),
      firmware: z.string().min(1).max(60).optional(),
      health: z.enum(HEALTH_FILTERS).optional().openapi({ description: `low-battery: below ${LOW_BATTERY_PCT} %` }),
    }),
  },
  responses: { 200: { description: 'devices, by site then id', ...json(z.array(fleetDevice)) }, ...errors(400, 401, 403, 404) },
});

/** One device as the fleet view lists it. */
export function fleetEntry(siteId: string, d: ReportedDevice, health: DeviceHealth, siteLastSeenAt: number | undefined): FleetDevice {
  return {
    siteId,
    id: d.id,
    kind: d.kind,
    name: d.name,
    ...(d.zoneId ? { zoneId: d.zoneId } : {}),
    ...(d.model ? { model: d.model } : {}),
    ...(d.firmware ? { firmware: d.firmware } : {}),
    approval: d.approval,
    health,
    ...(siteLastSeenAt ? { siteLastSeenAt } : {}),
    ...(d.lastSeenAt !== undefined ? { lastSeenAt: d.lastSeenAt } : {}),
    ...(d.battery !== undefined ? { battery: d.battery } : {}),
    errors24h: d.errors24h ?? 0,
    flapping: d.flapping === true,
  };
}

/** The fleet view across sites (device health), and one device's health history. */
export function fleetRoutes(ctx: CloudContext) {
  return router()
    .openapi(list, async (c) => {
      const user = c.get('user');
      const q = c.req.valid('query');
      const sites = q.siteId ? [await siteFor(ctx, user, q.siteId, { type: 'site.read', siteId: q.siteId })] : await visibleSites(ctx, user);
      const out: FleetDevice[] = [];
      for (const site of [...sites].sort((a, b) => (a.id < b.id ? -1 : 1))) {
        const all = ctx.devices.reported(site.tenantId, site.id) ?? [];
        const siteOnline = ctx.status.isOnline(site.tenantId, site.id);
        const lastSeenAt = ctx.status.lastSeenAt(site.tenantId, site.id);
        for (const d of user.role === 'vendor' ? facilityOnly(all) : all) {
          const health = healthOf(d, siteOnline);
          if ((q.kind && d.kind !== q.kind) || (q.model && d.model !== q.model) || (q.firmware && d.firmware !== q.firmware)) continue;
          if (q.health && !matchesHealth(d, health, q.health)) continue;
          out.push(fleetEntry(site.id, d, health, lastSeenAt));
        }
      }
      return c.json(out, 200);
    })
    .route('/', deviceHealthRoutes(ctx));
}
