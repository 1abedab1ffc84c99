import { createRoute, z } from '@hono/zod-openapi';
import { DEVICE_KINDS } from '@cr/shared';
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

/** CONTRACT.md §6: the admission list, from the edge's reports only (empty until its first). */
export function siteDeviceRoutes(ctx: CloudContext) {
  return router().openapi(list, (c) => {
    const user = c.get('user');
    const { siteId } = c.req.valid('param');
    const site = siteFor(ctx, user, siteId, { type: 'site.read', siteId });
    const all = ctx.devices.reported(site.tenantId, site.id) ?? [];
    const devices = user.role === 'vendor' ? facilityOnly(all) : all;
    return c.json(
      devices.map((d) => ({
        id: d.id,
        kind: d.kind,
        name: d.name,
        ...(d.zoneId ? { zoneId: d.zoneId } : {}),
        online: d.online,
        approval: d.approval,
        ...(d.firmware ? { firmware: d.firmware } : {}),
      })),
      200,
    );
  });
}
