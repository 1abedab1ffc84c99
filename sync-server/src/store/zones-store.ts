import type { Db } from './db';

/** A zone of a site as the cloud records it: the server's fact, which documents only display. */
export interface ZoneRecord {
  id: string;
  name: string;
}

const SQL = {
  upsert: `INSERT INTO site_zones (tenant_id, site_id, id, name, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (tenant_id, site_id, id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
  one: 'SELECT id, name FROM site_zones WHERE tenant_id = ? AND site_id = ? AND id = ?',
  ofSite: 'SELECT id, name FROM site_zones WHERE tenant_id = ? AND site_id = ? ORDER BY id',
  remove: 'DELETE FROM site_zones WHERE tenant_id = ? AND site_id = ? AND id = ?',
} as const;

/** The zones of every site, keyed by tenant and site (zone ids repeat across sites). */
export class ZonesStore {
  constructor(private readonly db: Db) {}

  /** Creates or renames a zone; true when it did not exist before. */
  put(tenantId: string, siteId: string, zone: ZoneRecord, now = Date.now()): boolean {
    const existed = this.get(tenantId, siteId, zone.id) !== undefined;
    this.db.prepare(SQL.upsert).run(tenantId, siteId, zone.id, zone.name, now);
    return !existed;
  }

  get(tenantId: string, siteId: string, zoneId: string): ZoneRecord | undefined {
    return this.db.prepare(SQL.one).get(tenantId, siteId, zoneId) as ZoneRecord | undefined;
  }

  /** Removes a zone; true when it existed. */
  remove(tenantId: string, siteId: string, zoneId: string): boolean {
    return this.db.prepare(SQL.remove).run(tenantId, siteId, zoneId).changes > 0;
  }

  ofSite(tenantId: string, siteId: string): ZoneRecord[] {
    return this.db.prepare(SQL.ofSite).all(tenantId, siteId) as ZoneRecord[];
  }
}
