import type * as Y from 'yjs';
import { z } from 'zod';
import { idSchema } from '../ids';
import { roleSchema } from '../auth/roles';
import { siteModeSchema } from '../protocol/site-mode';
import { severitySchema } from './alert-types';
import { ALERT_CATEGORIES } from './alert-types';
import { readActiveAlerts, setSiteActiveAlerts, type ActiveAlert } from './active-alerts';

/** Root maps of a tenant document (`tenant:{tenantId}`): site directory, live summary, alert routing; the active-alert feed is `activeAlerts` (active-alerts.ts). */
export const TENANT_MAPS = { sites: 'sites', status: 'siteStatus', routing: 'alertRouting' } as const;

export const siteEntrySchema = z.object({
  id: idSchema,
  name: z.string().max(200),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  timezone: z.string().max(64),
  address: z.string().max(300).optional(),
});
export type SiteEntry = z.infer<typeof siteEntrySchema>;

/** Live summary per site written by the cloud, so the overview map needs no site documents. */
export const siteStatusSchema = z.object({
  online: z.boolean(),
  /** the mode the site's edge last reported (not what a console wrote into the site document) */
  mode: siteModeSchema,
  /** the fire state the site's edge last reported */
  fireActive: z.boolean().optional(),
  openAlerts: z.number().int().nonnegative(),
  worstSeverity: severitySchema.optional(),
  lastSeenAt: z.number().int().nonnegative().optional(),
  ts: z.number().int().nonnegative(),
});
export type SiteStatus = z.infer<typeof siteStatusSchema>;

export const alertRouteSchema = z.object({
  category: z.enum(ALERT_CATEGORIES),
  notifyRoles: z.array(roleSchema),
  sound: z.boolean(),
});
export type AlertRoute = z.infer<typeof alertRouteSchema>;

function values<T>(map: Y.Map<unknown>, schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  map.forEach((v) => {
    const r = schema.safeParse(v);
    if (r.success) out.push(r.data);
  });
  return out;
}

/** Typed access to a tenant document. */
export class TenantDoc {
  constructor(readonly doc: Y.Doc) {}

  sites(): SiteEntry[] {
    return values(this.doc.getMap(TENANT_MAPS.sites), siteEntrySchema).sort((a, b) => a.id.localeCompare(b.id));
  }

  setSite(entry: SiteEntry): void {
    this.doc.getMap(TENANT_MAPS.sites).set(entry.id, siteEntrySchema.parse(entry));
  }

  removeSite(siteId: string): void {
    this.doc.transact(() => {
      this.doc.getMap(TENANT_MAPS.sites).delete(siteId);
      this.doc.getMap(TENANT_MAPS.status).delete(siteId);
      setSiteActiveAlerts(this.doc, siteId, []);
    });
  }

  /** Unresolved alerts of every site, written by the cloud from the site documents. */
  activeAlerts(): ActiveAlert[] {
    return readActiveAlerts(this.doc);
  }

  setActiveAlerts(siteId: string, entries: readonly ActiveAlert[]): number {
    return setSiteActiveAlerts(this.doc, siteId, entries);
  }

  status(siteId: string): SiteStatus | undefined {
    const r = siteStatusSchema.safeParse(this.doc.getMap(TENANT_MAPS.status).get(siteId));
    return r.success ? r.data : undefined;
  }

  /** Writes a site's summary only when something a viewer would see changed. */
  setStatus(siteId: string, status: SiteStatus): void {
    const cur = this.status(siteId);
    const next = siteStatusSchema.parse(status);
    const same =
      cur &&
      cur.online === next.online &&
      cur.mode === next.mode &&
      cur.fireActive === next.fireActive &&
      cur.openAlerts === next.openAlerts &&
      cur.worstSeverity === next.worstSeverity;
    if (!same) this.doc.getMap(TENANT_MAPS.status).set(siteId, next);
  }

  routes(): AlertRoute[] {
    return values(this.doc.getMap(TENANT_MAPS.routing), alertRouteSchema);
  }

  setRoute(route: AlertRoute): void {
    this.doc.getMap(TENANT_MAPS.routing).set(route.category, alertRouteSchema.parse(route));
  }
}
