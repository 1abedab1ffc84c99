import { createRoute, z } from '@hono/zod-openapi';
import { SITE_MODES, SEVERITIES, type UserPrincipal } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idParam, json } from '../schemas';
import { siteFor, visibleSites } from '../site-access';
import type { SiteRecord } from '../../store/tenants-store';
import { facilityOnly } from '../../domain/site-devices';
import { siteDeviceRoutes } from './device-routes';
import { deviceLoginRoutes } from './device-login-routes';

export const siteSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    lat: z.number(),
    lng: z.number(),
    timezone: z.string(),
    online: z.boolean(),
    /** as the site's edge last reported it; omitted for vendors */
    mode: z.enum(SITE_MODES).optional(),
    /** as the site's edge last reported it; omitted for vendors */
    fireActive: z.boolean().optional(),
    /** open alerts (vendors: facility faults of facility devices only) */
    openAlerts: z.number().int(),
    worstSeverity: z.enum(SEVERITIES).optional(),
    lastSeenAt: z.number().optional(),
    /** when the site's edge last had the tenant's current permissions, as it reported */
    permissionsSyncedAt: z.number().optional(),
  })
  .openapi('SiteSummary');

const siteDetailSchema = siteSummarySchema
  .extend({
    zones: z.array(z.object({ id: z.string(), name: z.string() })),
    devices: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        name: z.string(),
        zoneId: z.string().optional(),
        doorId: z.string().optional(),
        online: z.boolean(),
      }),
    ),
  })
  .openapi('SiteDetail');

const list = createRoute({
  method: 'get',
  path: '/api/v1/sites',
  tags: ['sites'],
  summary: 'Sites the caller may see, with live status',
  security: bearer,
  responses: { 200: { description: 'sites', ...json(z.array(siteSummarySchema)) }, ...errors(401) },
});

const detail = createRoute({
  method: 'get',
  path: '/api/v1/sites/{siteId}',
  tags: ['sites'],
  summary: 'One site with zones and devices as last reported by its edge',
  security: bearer,
  request: { params: z.object({ siteId: idParam('siteId') }) },
  responses: { 200: { description: 'site', ...json(siteDetailSchema) }, ...errors(400, 401, 403, 404) },
});

type SiteSummaryBody = z.infer<typeof siteSummarySchema>;

/**
 * A site as the API shows it: name, place and time zone from the site directory, mode and fire state
 * as the edge last reported them (never the site document's copy, which consoles can write).
 */
export async function siteSummary(ctx: CloudContext, s: SiteRecord): Promise<SiteSummaryBody> {
  const sum = await ctx.status.summary(s.tenantId, s.id);
  const lastSeenAt = ctx.status.lastSeenAt(s.tenantId, s.id);
  const { permissionsSyncedAt } = ctx.status.observation(s.tenantId, s.id);
  return {
    id: s.id,
    name: s.name,
    lat: s.lat,
    lng: s.lng,
    timezone: s.timezone,
    online: ctx.status.isOnline(s.tenantId, s.id),
    mode: sum.mode,
    fireActive: sum.fireActive,
    openAlerts: sum.openAlerts,
    ...(sum.worstSeverity ? { worstSeverity: sum.worstSeverity } : {}),
    ...(lastSeenAt ? { lastSeenAt } : {}),
    ...(permissionsSyncedAt ? { permissionsSyncedAt } : {}),
  };
}

/**
 * What a vendor sees of a site: where it is, whether it is reachable, and its facility faults.
 * Threat: the site list telling a vendor of a lockdown, a fire or a security incident elsewhere.
 */
async function vendorSiteSummary(ctx: CloudContext, s: SiteRecord): Promise<SiteSummaryBody> {
  const counts = await ctx.vendors.counts(s.tenantId, s.id);
  return {
    id: s.id,
    name: s.name,
    lat: s.lat,
    lng: s.lng,
    timezone: s.timezone,
    online: ctx.status.isOnline(s.tenantId, s.id),
    openAlerts: counts.openAlerts,
    ...(counts.worstSeverity ? { worstSeverity: counts.worstSeverity } : {}),
  };
}

const summaryFor = (ctx: CloudContext, user: UserPrincipal, s: SiteRecord): Promise<SiteSummaryBody> =>
  user.role === 'vendor' ? vendorSiteSummary(ctx, s) : siteSummary(ctx, s);

/**
 * Zones as the server records them and devices as the site's edge reported them (seeded ones for a
 * demo site until then); vendors get the facility devices only. Never the site document, which
 * consoles write: threat, a console's fake door (or a hidden real one) shown as the site's inventory.
 */
async function siteLayout(ctx: CloudContext, user: UserPrincipal, site: SiteRecord) {
  const all = ctx.devices.ofSite(site.tenantId, site.id);
  const devices = user.role === 'vendor' ? facilityOnly(all) : all;
  return { zones: await ctx.siteAdmin.zones(site.tenantId, site.id), devices };
}

export function siteRoutes(ctx: CloudContext) {
  return router()
    .openapi(list, async (c) => {
      const user = c.get('user');
      return c.json(
        await Promise.all((await visibleSites(ctx, user)).map((s) => summaryFor(ctx, user, s))),
        200,
      );
    })
    .openapi(detail, async (c) => {
      const { siteId } = c.req.valid('param');
      const user = c.get('user');
      const site = await siteFor(ctx, user, siteId, { type: 'site.read', siteId });
      const { zones, devices } = await siteLayout(ctx, user, site);
      return c.json(
        {
          ...(await summaryFor(ctx, user, site)),
          zones,
          devices: devices.map((d) => ({
            id: d.id,
            kind: d.kind,
            name: d.name,
            online: d.online,
            ...(d.zoneId ? { zoneId: d.zoneId } : {}),
            ...(d.doorId ? { doorId: d.doorId } : {}),
          })),
        },
        200,
      );
    })
    .route('/', siteDeviceRoutes(ctx))
    .route('/', deviceLoginRoutes(ctx));
}
