import { createRoute, z } from '@hono/zod-openapi';
import { DEVICE_KINDS, idSchema, type ReportedDevice } from '@cr/shared';
import { DeviceAdmission } from '../../domain/device-admission';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { facilityOnly } from '../../domain/site-devices';
import { idParam, json } from '../schemas';
import { siteFor } from '../site-access';

const deviceSchema = z
  .object({
    id: z.string(),
    kind: z.enum(DEVICE_KINDS),
    name: z.string(),
    zoneId: z.string().optional(),
    online: z.boolean(),
    approval: z.enum(['pending', 'approved']),
    firmware: z.string().optional(),
    model: z.string().optional(),
    doorId: z.string().optional().openapi({ description: "a reader's door" }),
    claimedZoneId: z.string().optional().openapi({ description: "the zone the device's own config names, when it is not the one the site placed it in (unknown zone, moved)" }),
  })
  .openapi('SiteDevice');

const list = createRoute({
  method: 'get',
  path: '/api/v1/sites/{siteId}/devices',
  tags: ['devices'],
  summary: "Devices that announced themselves at the site, as its edge last reported them (vendors: facility devices)",
  security: bearer,
  request: { params: z.object({ siteId: idParam('siteId') }) },
  responses: { 200: { description: 'devices', ...json(z.array(deviceSchema)) }, ...errors(400, 401, 403, 404) },
});

const approve = createRoute({
  method: 'post',
  path: '/api/v1/sites/{siteId}/devices/{deviceId}/approve',
  tags: ['devices'],
  summary: "Admit a pending door, reader or fire panel (through the site's live edge), optionally in a zone",
  security: bearer,
  request: {
    params: z.object({ siteId: idParam('siteId'), deviceId: idParam('deviceId') }),
    body: {
      ...json(
        z.strictObject({
          zoneId: idSchema.optional(),
          mqttLogin: z.boolean().optional().openapi({ description: "also issue the device's own MQTT login (closed broker); answered once in `mqttLogin`" }),
        }),
      ),
      required: false,
    },
  },
  responses: {
    200: {
      description: 'approved, as the edge reported',
      ...json(deviceSchema.extend({ mqttLogin: z.object({ username: z.string(), password: z.string(), delivered: z.boolean() }).optional() })),
    },
    ...errors(400, 401, 403, 404, 503),
  },
});

const commissioning = createRoute({
  method: 'post',
  path: '/api/v1/sites/{siteId}/commissioning',
  tags: ['devices'],
  summary: 'Open a commissioning window at the site: every device that announces itself meanwhile is admitted',
  security: bearer,
  request: {
    params: z.object({ siteId: idParam('siteId') }),
    body: { ...json(z.strictObject({ minutes: z.number().int().min(1).max(24 * 60) })), required: true },
  },
  responses: { 200: { description: 'window open', ...json(z.object({ until: z.number() })) }, ...errors(400, 401, 403, 404, 503) },
});

const view = (d: ReportedDevice): z.infer<typeof deviceSchema> => ({
  id: d.id,
  kind: d.kind,
  name: d.name,
  ...(d.zoneId ? { zoneId: d.zoneId } : {}),
  online: d.online,
  approval: d.approval,
  ...(d.firmware ? { firmware: d.firmware } : {}),
  ...(d.model ? { model: d.model } : {}),
  ...(d.doorId ? { doorId: d.doorId } : {}),
  ...(d.claimedZoneId ? { claimedZoneId: d.claimedZoneId } : {}),
});

const place = createRoute({
  method: 'post',
  path: '/api/v1/sites/{siteId}/devices/{deviceId}/zone',
  tags: ['devices'],
  summary: "Move a device to another zone of the site (through the site's live edge); its approval stays as it is",
  security: bearer,
  request: {
    params: z.object({ siteId: idParam('siteId'), deviceId: idParam('deviceId') }),
    body: { ...json(z.strictObject({ zoneId: idSchema })), required: true },
  },
  responses: { 200: { description: 'placed, as the edge reported', ...json(deviceSchema) }, ...errors(400, 401, 403, 404, 503) },
});

/** CONTRACT.md §6: the admission list, from the edge's reports only (empty until its first), approval and commissioning. */
export function siteDeviceRoutes(ctx: CloudContext) {
  const admission = new DeviceAdmission(ctx);
  return router()
    .openapi(approve, async (c) => {
      const user = c.get('user');
      const { siteId, deviceId } = c.req.valid('param');
      await siteFor(ctx, user, siteId, { type: 'device.approve', siteId });
      const body = (c.req.valid('json') as { zoneId?: string; mqttLogin?: boolean } | undefined) ?? {};
      const device = view(await admission.approve(user, siteId, deviceId, body.zoneId, c.get('source')));
      if (!body.mqttLogin) return c.json(device, 200);
      const { username, password, delivered } = await ctx.deviceLogins.issue(user, siteId, deviceId, c.get('source'));
      return c.json({ ...device, mqttLogin: { username, password, delivered } }, 200);
    })
    .openapi(place, async (c) => {
      const user = c.get('user');
      const { siteId, deviceId } = c.req.valid('param');
      await siteFor(ctx, user, siteId, { type: 'device.approve', siteId });
      return c.json(view(await admission.place(user, siteId, deviceId, c.req.valid('json').zoneId, c.get('source'))), 200);
    })
    .openapi(commissioning, async (c) => {
      const user = c.get('user');
      const { siteId } = c.req.valid('param');
      await siteFor(ctx, user, siteId, { type: 'sites.manage' });
      return c.json(await admission.openCommissioning(user, siteId, c.req.valid('json').minutes, c.get('source')), 200);
    })
    .openapi(list, async (c) => {
    const user = c.get('user');
    const { siteId } = c.req.valid('param');
    const site = await siteFor(ctx, user, siteId, { type: 'site.read', siteId });
    const all = ctx.devices.reported(site.tenantId, site.id) ?? [];
    const devices = user.role === 'vendor' ? facilityOnly(all) : all;
    return c.json(devices.map(view), 200);
  });
}
