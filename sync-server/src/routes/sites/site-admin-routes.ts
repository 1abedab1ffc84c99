import { createRoute, z } from '@hono/zod-openapi';
import { ID_PATTERN, type UserPrincipal } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idParam, json } from '../schemas';
import { requireTenantAction } from '../site-access';
import { siteSummary, siteSummarySchema } from './site-routes';
import { zoneRoutes } from './zone-routes';

const tags = ['sites'];
const fields = {
  name: z.string().trim().min(1).max(200),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  /** IANA time zone; access schedules of the site are evaluated in it */
  timezone: z.string().min(1).max(64).openapi({ example: 'Asia/Seoul' }),
  address: z.string().trim().max(300).optional(),
};

const newSiteSchema = z
  .strictObject({ id: z.string().regex(ID_PATTERN, `id must match ${ID_PATTERN.source}`), ...fields })
  .openapi('NewSite');
const sitePatchSchema = z
  .strictObject({
    name: fields.name.optional(),
    lat: fields.lat.optional(),
    lng: fields.lng.optional(),
    timezone: fields.timezone.optional(),
    address: fields.address,
  })
  .openapi('SitePatch');

const create = createRoute({
  method: 'post',
  path: '/api/v1/sites',
  tags,
  summary:
    'Create a site: directory entry, tenant document entry and, once, its site document on the server (tenant-admin)',
  security: bearer,
  request: { body: { ...json(newSiteSchema), required: true } },
  responses: { 201: { description: 'created', ...json(siteSummarySchema) }, ...errors(400, 401, 403, 409) },
});

const update = createRoute({
  method: 'patch',
  path: '/api/v1/sites/{siteId}',
  tags,
  summary: "Change a site's name, position, time zone or address (tenant-admin)",
  security: bearer,
  request: { params: z.object({ siteId: idParam('siteId') }), body: { ...json(sitePatchSchema), required: true } },
  responses: { 200: { description: 'site', ...json(siteSummarySchema) }, ...errors(400, 401, 403, 404) },
});

const admin = (user: UserPrincipal): UserPrincipal => {
  requireTenantAction(user, { type: 'sites.manage' });
  return user;
};

export function siteAdminRoutes(ctx: CloudContext) {
  return router()
    .openapi(create, async (c) => {
      const site = await ctx.siteAdmin.create(admin(c.get('user')), c.req.valid('json'), c.get('source'));
      return c.json(await siteSummary(ctx, site), 201);
    })
    .openapi(update, async (c) => {
      const user = admin(c.get('user'));
      const site = await ctx.siteAdmin.update(user, c.req.valid('param').siteId, c.req.valid('json'), c.get('source'));
      return c.json(await siteSummary(ctx, site), 200);
    })
    .route('/', zoneRoutes(ctx));
}
