import { createRoute, z } from '@hono/zod-openapi';
import { SITE_MODES, SEVERITIES, SiteDoc } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idParam, json } from '../schemas';
import { siteFor, visibleSites } from '../site-access';
import type { SiteRecord } from '../../store/tenants-store';

export const siteSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    lat: z.number(),
    lng: z.number(),
    timezone: z.string(),
    online: z.boolean(),
    mode: z.enum(SITE_MODES),
    openAlerts: z.number().int(),
    worstSeverity: z.enum(SEVERITIES).optional(),
    lastSeenAt: z.number().optional(),
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

export function siteSummary(ctx: CloudContext, s: SiteRecord): z.infer<typeof siteSummarySchema> {
  const sum = ctx.status.summary(s.tenantId, s.id);
  const lastSeenAt = ctx.status.lastSeenAt(s.tenantId, s.id);
  return {
    id: s.id,
    name: s.name,
    lat: s.lat,
    lng: s.lng,
    timezone: s.timezone,
    online: ctx.status.isOnline(s.tenantId, s.id),
    mode: sum.mode,
    openAlerts: sum.openAlerts,
    ...(sum.worstSeverity ? { worstSeverity: sum.worstSeverity } : {}),
    ...(lastSeenAt ? { lastSeenAt } : {}),
  };
}

export function siteRoutes(ctx: CloudContext) {
  return router()
    .openapi(list, (c) =>
      c.json(
        visibleSites(ctx, c.get('user')).map((s) => siteSummary(ctx, s)),
        200,
      ),
    )
    .openapi(detail, (c) => {
      const { siteId } = c.req.valid('param');
      const site = siteFor(ctx, c.get('user'), siteId, { type: 'site.read', siteId });
      const { zones, devices } = ctx.docs.read(`site:${site.tenantId}:${site.id}`, (doc) => {
        const sd = new SiteDoc(doc);
        return { zones: sd.zones().map((z) => ({ id: z.id, name: z.name })), devices: sd.devices() };
      });
      return c.json(
        {
          ...siteSummary(ctx, site),
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
    });
}
