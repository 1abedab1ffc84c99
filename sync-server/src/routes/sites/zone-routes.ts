import { createRoute, z } from '@hono/zod-openapi';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idParam, json } from '../schemas';
import { requireTenantAction, siteFor } from '../site-access';

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

export function zoneRoutes(ctx: CloudContext) {
  return router()
    .openapi(list, async (c) => {
      const user = c.get('user');
      const { siteId } = c.req.valid('param');
      await siteFor(ctx, user, siteId, { type: 'site.read', siteId });
      return c.json(await ctx.siteAdmin.zones(user.tenantId, siteId), 200);
    })
    .openapi(put, async (c) => {
      const user = c.get('user');
      const { siteId, zoneId } = c.req.valid('param');
      requireTenantAction(user, { type: 'sites.manage' });
      const { zone, created } = await ctx.siteAdmin.putZone(
        user,
        siteId,
        { id: zoneId, name: c.req.valid('json').name },
        c.get('source'),
      );
      return c.json({ ...zone, created }, 200);
    });
}
