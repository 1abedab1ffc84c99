import { createRoute, z } from '@hono/zod-openapi';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idSchema } from '@cr/shared';
import { idParam, json } from '../schemas';
import { DeviceAdmission } from '../../domain/device-admission';
import { badRequest } from '../../domain/errors';
import type { ZoneRemoval } from '../../domain/site-admin';
import { siteFor } from '../site-access';

const tags = ['sites'];
const zoneSchema = z.object({ id: z.string(), name: z.string() }).openapi('Zone');
const zoneBodySchema = z.strictObject({ name: z.string().trim().min(1).max(120) }).openapi('ZoneBody');
const siteParams = z.object({ siteId: idParam('siteId') });

const list = createRoute({
  method: 'get',
  path: '/api/v1/sites/{siteId}/zones',
  tags,
  summary: 'The zones the cloud records for a site (anyone who may see the site)',
  security: bearer,
  request: { params: siteParams },
  responses: { 200: { description: 'zones', ...json(z.array(zoneSchema)) }, ...errors(400, 401, 403, 404) },
});

const put = createRoute({
  method: 'put',
  path: '/api/v1/sites/{siteId}/zones/{zoneId}',
  tags,
  summary:
    'Create or rename a zone of a site (tenant-admin); the site document shows it, a new zone with an outline to reshape on the floor plan',
  security: bearer,
  request: {
    params: siteParams.extend({ zoneId: idParam('zoneId').openapi({ example: 'lobby' }) }),
    body: { ...json(zoneBodySchema), required: true },
  },
  responses: {
    200: { description: 'the zone as recorded', ...json(zoneSchema.extend({ created: z.boolean() })) },
    ...errors(400, 401, 403, 404),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/api/v1/sites/{siteId}/zones/{zoneId}',
  tags,
  summary:
    "Remove a zone (tenant-admin). If devices are in it, say what becomes of them: `devices=move&to=ZONE` places them in another zone first (the site's edge must be online), `devices=unassign` leaves doors and readers pending until placed; without a choice 409 names them",
  security: bearer,
  request: {
    params: siteParams.extend({ zoneId: idParam('zoneId') }),
    query: z.strictObject({ devices: z.enum(['move', 'unassign']).optional(), to: idSchema.optional() }),
  },
  responses: {
    200: { description: 'removed', ...json(z.object({ moved: z.array(z.string()), unassigned: z.array(z.string()) })) },
    ...errors(400, 401, 403, 404, 409, 503),
  },
});

const removalChoice = (q: { devices?: 'move' | 'unassign'; to?: string }): ZoneRemoval => {
  if (q.devices === 'move') {
    if (!q.to) throw badRequest('to: name the zone the devices move to (devices=move&to=ZONE)');
    return { devices: 'move', to: q.to };
  }
  if (q.to !== undefined) throw badRequest('to: only with devices=move');
  return q.devices === 'unassign' ? { devices: 'unassign' } : {};
};

export function zoneRoutes(ctx: CloudContext) {
  const admission = new DeviceAdmission(ctx);
  return router()
    .openapi(remove, async (c) => {
      const user = c.get('user');
      const { siteId, zoneId } = c.req.valid('param');
      await siteFor(ctx, user, siteId, { type: 'zones.manage', siteId });
      const choice = removalChoice(c.req.valid('query'));
      const source = c.get('source');
      const result = await ctx.siteAdmin.removeZone(user, siteId, zoneId, choice, source, (deviceId, to) => admission.place(user, siteId, deviceId, to, source));
      return c.json(result, 200);
    })
    .openapi(list, async (c) => {
      const user = c.get('user');
      const { siteId } = c.req.valid('param');
      await siteFor(ctx, user, siteId, { type: 'site.read', siteId });
      return c.json(await ctx.siteAdmin.zones(user.tenantId, siteId), 200);
    })
    .openapi(put, async (c) => {
      const user = c.get('user');
      const { siteId, zoneId } = c.req.valid('param');
      await siteFor(ctx, user, siteId, { type: 'zones.manage', siteId });
      const { zone, created } = await ctx.siteAdmin.putZone(
        user,
        siteId,
        { id: zoneId, name: c.req.valid('json').name },
        c.get('source'),
      );
      return c.json({ ...zone, created }, 200);
    });
}
