import type { Db } from './db';
import { toResource, type ResourceRecord, type ResourceRow } from './booking-records';

const SQL = {
  upsert: `INSERT INTO booking_resources (tenant_id, site_id, id, kind, name, zone_id, capacity, rules, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, site_id, id) DO UPDATE SET kind = excluded.kind,
    name = excluded.name, zone_id = excluded.zone_id, capacity = excluded.capacity, rules = excluded.rules, updated_at = excluded.updated_at`,
  one: 'SELECT * FROM booking_resources WHERE tenant_id = ? AND site_id = ? AND id = ?',
  ofSite: 'SELECT * FROM booking_resources WHERE tenant_id = ? AND site_id = ? ORDER BY id',
  remove: 'DELETE FROM booking_resources WHERE tenant_id = ? AND site_id = ? AND id = ?',
} as const;

/** The bookable resources of every site (rooms, booths, zones), keyed by tenant and site. */
export class BookingResourcesStore {
  constructor(private readonly db: Db) {}

  /** Creates or replaces a resource; true when it did not exist before. */
  put(r: ResourceRecord, now = Date.now()): boolean {
    const existed = this.get(r.tenantId, r.siteId, r.id) !== undefined;
    this.db.prepare(SQL.upsert).run(r.tenantId, r.siteId, r.id, r.kind, r.name, r.zoneId, r.capacity, JSON.stringify(r.rules), now);
    return !existed;
  }

  get(tenantId: string, siteId: string, id: string): ResourceRecord | undefined {
    const row = this.db.prepare(SQL.one).get(tenantId, siteId, id) as ResourceRow | undefined;
    return row ? toResource(row) : undefined;
  }

  ofSite(tenantId: string, siteId: string): ResourceRecord[] {
    return (this.db.prepare(SQL.ofSite).all(tenantId, siteId) as ResourceRow[]).map(toResource);
  }

  remove(tenantId: string, siteId: string, id: string): boolean {
    return this.db.prepare(SQL.remove).run(tenantId, siteId, id).changes > 0;
  }
}
