import type * as Y from 'yjs';
import { ALERT_MAPS, VENDOR_MAPS, listAlerts, siteDocName, vendorDocName, type AlertView } from '@cr/shared';
import type { DocRegistry } from '../sync/doc-registry';
import type { TenantsStore } from '../store/tenants-store';
import type { UsersStore } from '../store/users-store';

type Entry = Record<string, unknown> & { alertId: string };

/** Sets `key` only when absent or different: an unchanged copy must not grow the document. */
function put(map: Y.Map<unknown>, key: string, value: Record<string, unknown>): void {
  const cur = map.get(key);
  if (cur === undefined || JSON.stringify(cur) !== JSON.stringify(value)) map.set(key, value);
}

function copyAlert(doc: Y.Doc, a: AlertView): void {
  const { category: _c, state: _s, acks, notes: _n, assignee: _as, assignments: _asg, resolutions, ...raise } = a;
  put(doc.getMap(ALERT_MAPS.alerts), a.id, raise);
  for (const ack of acks)
    put(doc.getMap(ALERT_MAPS.acks), `${a.id}|${ack.by}|${ack.at}|${ack.where}`, { ...ack, alertId: a.id });
  for (const r of resolutions)
    put(doc.getMap(ALERT_MAPS.resolutions), `${a.id}|${r.by}|${r.at}|${r.where}`, { ...r, alertId: a.id });
}

/** Removes copies of a site's alerts that the site no longer has (pruned there). */
function dropMissing(doc: Y.Doc, siteId: string, keep: Set<string>): void {
  const alerts = doc.getMap(ALERT_MAPS.alerts);
  const gone = new Set<string>();
  alerts.forEach((v, id) => {
    if ((v as { siteId?: string }).siteId === siteId && !keep.has(id)) gone.add(id);
  });
  if (gone.size === 0) return;
  for (const id of gone) alerts.delete(id);
  for (const name of [ALERT_MAPS.acks, ALERT_MAPS.resolutions]) {
    const m = doc.getMap(name);
    for (const [k, v] of [...m.entries()]) if (gone.has((v as Entry).alertId)) m.delete(k);
  }
}

/**
 * The vendor's read-only view (`vendor:{tenant}:{userId}`): their sites and copies of the facility
 * alerts of those sites, kept current by the server. Vendors never open a site document, so
 * security incidents, members and the access log never reach them.
 */
export class VendorViews {
  constructor(
    private readonly docs: DocRegistry,
    private readonly tenants: TenantsStore,
    private readonly users: UsersStore,
  ) {}

  private vendorsOf(tenantId: string, siteId?: string) {
    return this.users
      .ofTenant(tenantId)
      .filter((u) => u.role === 'vendor' && !u.disabled && (siteId === undefined || u.siteIds.includes(siteId)));
  }

  /** Facility alerts of a site as the site document holds them now. */
  private facilityAlerts(tenantId: string, siteId: string): AlertView[] {
    return this.docs.read(siteDocName(tenantId, siteId), (doc) =>
      listAlerts(doc).filter((a) => a.category === 'facility'),
    );
  }

  /** Copies one site's facility alerts into every vendor view covering the site. */
  refreshSite(tenantId: string, siteId: string): void {
    const vendors = this.vendorsOf(tenantId, siteId);
    if (vendors.length === 0) return;
    const alerts = this.facilityAlerts(tenantId, siteId);
    const keep = new Set(alerts.map((a) => a.id));
    for (const v of vendors) {
      this.docs.mutate(vendorDocName(tenantId, v.id), (doc) => {
        for (const a of alerts) copyAlert(doc, a);
        dropMissing(doc, siteId, keep);
      });
    }
  }

  /** Builds a vendor's whole view (on first open, or after their sites changed). */
  rebuild(tenantId: string, userId: string): void {
    const vendor = this.users.byId(userId);
    if (!vendor || vendor.tenantId !== tenantId || vendor.role !== 'vendor') return;
    const sites = this.tenants.sites(tenantId).filter((s) => vendor.siteIds.includes(s.id));
    const perSite = sites.map((s) => ({ site: s, alerts: this.facilityAlerts(tenantId, s.id) }));
    this.docs.mutate(vendorDocName(tenantId, userId), (doc) => {
      for (const { site, alerts } of perSite) {
        const entry = {
          id: site.id,
          name: site.name,
          lat: site.lat,
          lng: site.lng,
          timezone: site.timezone,
          ...(site.address ? { address: site.address } : {}),
        };
        put(doc.getMap(VENDOR_MAPS.sites), site.id, entry);
        for (const a of alerts) copyAlert(doc, a);
        dropMissing(doc, site.id, new Set(alerts.map((a) => a.id)));
      }
    });
  }

  /** Facility alerts a vendor may see over REST, from the same source. */
  alertsFor(tenantId: string, siteIds: readonly string[]): AlertView[] {
    return siteIds.flatMap((s) => (this.tenants.site(tenantId, s) ? this.facilityAlerts(tenantId, s) : []));
  }
}
