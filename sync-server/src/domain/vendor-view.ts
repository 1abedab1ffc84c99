import type * as Y from 'yjs';
import {
  ALERT_MAPS,
  FACILITY_KINDS,
  SiteDoc,
  VENDOR_MAPS,
  siteDocName,
  vendorDocName,
  type AlertView,
  type DeviceView,
} from '@cr/shared';
import type { DocRegistry } from '../sync/doc-registry';

import { countOpen, type AlertCounts } from './site-summary';
import type { SiteRecord } from '../store/tenants-store';
import type { TenantsPort, UsersPort } from '../store/ports';
import type { UserRecord } from '../store/users-store';

/** How long a tenant's list of vendors is reused; a vendor's own view is rebuilt whenever they open it. */
const VENDORS_FRESH_MS = 5_000;

type Entry = Record<string, unknown> & { alertId: string };

/**
 * What a vendor may see of a site document: facility devices (HVAC, power, lights, climate) and the
 * facility faults of those devices (or of no device). Threat: a vendor learning of a forced door, a
 * fire, the site's mode or where its doors, readers and cameras are (an offline door is a facility
 * category alert, but the door is a security device).
 */
export function vendorFacts(doc: Y.Doc): { alerts: AlertView[]; devices: DeviceView[] } {
  const site = new SiteDoc(doc);
  const devices = site.devices().filter((d) => FACILITY_KINDS.has(d.kind));
  const facility = new Set(devices.map((d) => d.id));
  const alerts = site
    .alerts()
    .filter((a) => a.category === 'facility' && (a.deviceId === undefined || facility.has(a.deviceId)));
  return { alerts, devices };
}

/** Sets `key` only when absent or different: an unchanged copy must not grow the document. */
function put(map: Y.Map<unknown>, key: string, value: Record<string, unknown>): void {
  const cur = map.get(key);
  if (cur === undefined || JSON.stringify(cur) !== JSON.stringify(value)) map.set(key, value);
}

function copyAlert(doc: Y.Doc, a: AlertView): void {
  const { category: _c, state: _s, acks, notes: _n, assignee: _as, assignments: _asg, resolutions, causes, causeCleared: _cc, clearedAt: _ca, resolvedAt: _ra, ...raise } = a;
  put(doc.getMap(ALERT_MAPS.alerts), a.id, raise);
  for (const ack of acks)
    put(doc.getMap(ALERT_MAPS.acks), `${a.id}|${ack.by}|${ack.at}|${ack.where}`, { ...ack, alertId: a.id });
  for (const r of resolutions)
    put(doc.getMap(ALERT_MAPS.resolutions), `${a.id}|${r.by}|${r.at}|${r.where}`, { ...r, alertId: a.id });
  for (const c of causes) put(doc.getMap(ALERT_MAPS.causes), `${a.id}|${c.state}|${c.at}|${c.by}`, { ...c, alertId: a.id });
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
  for (const name of [ALERT_MAPS.acks, ALERT_MAPS.resolutions, ALERT_MAPS.causes]) {
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
  /** a tenant's vendors, read at most every VENDORS_FRESH_MS: site changes come many times a second */
  private readonly vendorCache = new Map<string, { at: number; vendors: Promise<UserRecord[]> }>();

  constructor(
    private readonly docs: DocRegistry,
    private readonly tenants: TenantsPort,
    private readonly users: UsersPort,
  ) {}

  private async vendorsOf(tenantId: string, siteId?: string) {
    const now = Date.now();
    let cached = this.vendorCache.get(tenantId);
    if (!cached || now - cached.at > VENDORS_FRESH_MS) {
      const vendors = this.users.ofTenant(tenantId).then((all) => all.filter((u) => u.role === 'vendor' && !u.disabled));
      cached = { at: now, vendors };
      this.vendorCache.set(tenantId, cached);
      // A failed read is not kept: the next change asks again.
      vendors.catch(() => this.vendorCache.get(tenantId) === cached && this.vendorCache.delete(tenantId));
    }
    return (await cached.vendors).filter((u) => siteId === undefined || u.siteIds.includes(siteId));
  }


  /** Facility alerts of a site's facility devices as the site document holds them now. */
  private facilityAlerts(tenantId: string, siteId: string): Promise<AlertView[]> {
    return this.docs.read(siteDocName(tenantId, siteId), (doc) => vendorFacts(doc).alerts);
  }

  /** Open facility faults of a site and their worst severity: all a vendor's site list counts. */
  async counts(tenantId: string, siteId: string): Promise<AlertCounts> {
    return countOpen(await this.facilityAlerts(tenantId, siteId));
  }

  /** Copies one site's facility alerts into every vendor view covering the site. */
  async refreshSite(tenantId: string, siteId: string): Promise<void> {
    const vendors = await this.vendorsOf(tenantId, siteId);
    if (vendors.length === 0) return;
    const alerts = await this.facilityAlerts(tenantId, siteId);
    const keep = new Set(alerts.map((a) => a.id));
    for (const v of vendors) {
      await this.docs.mutate(vendorDocName(tenantId, v.id), (doc) => {
        for (const a of alerts) copyAlert(doc, a);
        dropMissing(doc, siteId, keep);
      });
    }
  }

  /** Builds a vendor's whole view (on first open, or after their sites changed). */
  async rebuild(tenantId: string, userId: string): Promise<void> {
    const vendor = await this.users.byId(userId);
    if (!vendor || vendor.tenantId !== tenantId || vendor.role !== 'vendor') return;
    const sites = (await this.tenants.sites(tenantId)).filter((s) => vendor.siteIds.includes(s.id));
    const perSite: Array<{ site: SiteRecord; alerts: AlertView[] }> = [];
    for (const site of sites) perSite.push({ site, alerts: await this.facilityAlerts(tenantId, site.id) });
    await this.docs.mutate(vendorDocName(tenantId, userId), (doc) => {
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
  async alertsFor(tenantId: string, siteIds: readonly string[]): Promise<AlertView[]> {
    const out: AlertView[] = [];
    for (const s of siteIds) if (await this.tenants.site(tenantId, s)) out.push(...(await this.facilityAlerts(tenantId, s)));
    return out;
  }
}
