import { createRoute, z } from '@hono/zod-openapi';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idParam, json } from '../schemas';
import { siteFor } from '../site-access';
import { resourceBody, resourceSchema, siteParams, viewResource } from './booking-schemas';

const tags = ['bookings'];
const resourceParams = siteParams.extend({ resourceId: idParam('resourceId').openapi({ example: 'meeting-room' }) });

const list = createRoute({
  method: 'get',
  path: '/api/v1/sites/{siteId}/resources',
  tags,
  summary: 'The bookable resources of a site (meeting rooms, phone booths, recharging zones) with their rules',
  security: bearer,
  request: { params: siteParams },
  responses: { 200: { description: 'resources', ...json(z.array(resourceSchema)) }, ...errors(400, 401, 403, 404) },
});

const put = createRoute({
  method: 'put',
  path: '/api/v1/sites/{siteId}/resources/{resourceId}',
  tags,
  summary: 'Create or replace a bookable resource in one of the site’s zones (tenant-admin, site-manager of the site)',
  security: bearer,
  request: { params: resourceParams, body: { ...json(resourceBody), required: true } },
  responses: {
    200: { description: 'the resource as recorded', ...json(resourceSchema.extend({ created: z.boolean() })) },
    ...errors(400, 401, 403, 404),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/api/v1/sites/{siteId}/resources/{resourceId}',
  tags,
  summary: 'Remove a resource no booking holds any more (409 while one does)',
  security: bearer,
  request: { params: resourceParams },
  responses: { 200: { description: 'removed', ...json(z.object({ removed: z.literal(true) })) }, ...errors(400, 401, 403, 404, 409) },
});

/** CONTRACT.md §8: a site's bookable resources. */
export function resourceRoutes(ctx: CloudContext) {
  return router()
    .openapi(list, async (c) => {
      const { siteId } = c.req.valid('param');
      const site = await siteFor(ctx, c.get('user'), siteId, { type: 'bookings.read', siteId });
      return c.json((await ctx.bookings.resources.list(site.tenantId, site.id)).map(viewResource), 200);
    })
    .openapi(put, async (c) => {
      const user = c.get('user');
      const { siteId, resourceId } = c.req.valid('param');
      const site = await siteFor(ctx, user, siteId, { type: 'resources.manage', siteId });
      const { resource, created } = await ctx.bookings.resources.put(user, site, { id: resourceId, ...c.req.valid('json') }, c.get('source'));
      return c.json({ ...viewResource(resource), created }, 200);
    })
    .openapi(remove, async (c) => {
      const user = c.get('user');
      const { siteId, resourceId } = c.req.valid('param');
      const site = await siteFor(ctx, user, siteId, { type: 'resources.manage', siteId });
      await ctx.bookings.resources.remove(user, site, resourceId, c.get('source'));
      return c.json({ removed: true as const }, 200);
    });
}
