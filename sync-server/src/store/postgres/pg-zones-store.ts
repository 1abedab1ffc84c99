import type { ZonesPort } from '../ports';
import type { ZoneRecord } from '../zones-store';
import type { PgDb } from './pg-db';

const SQL = {
  // xmax = 0 only on a freshly inserted row: tells "created" from "renamed" in one statement.
  upsert: `INSERT INTO site_zones (tenant_id, site_id, id, name, updated_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (tenant_id, site_id, id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
    RETURNING (xmax = 0) AS created`,
  one: 'SELECT id, name FROM site_zones WHERE tenant_id = $1 AND site_id = $2 AND id = $3',
  ofSite: 'SELECT id, name FROM site_zones WHERE tenant_id = $1 AND site_id = $2 ORDER BY id',
  remove: 'DELETE FROM site_zones WHERE tenant_id = $1 AND site_id = $2 AND id = $3',
} as const;

/** The zones of every site in PostgreSQL (the same contract as ZonesStore). */
export class PgZonesStore implements ZonesPort {
  constructor(private readonly db: PgDb) {}

  async put(tenantId: string, siteId: string, zone: ZoneRecord, now = Date.now()): Promise<boolean> {
    const r = await this.db.pool.query<{ created: boolean }>(SQL.upsert, [tenantId, siteId, zone.id, zone.name, now]);
    return r.rows[0]?.created === true;
  }

  async remove(tenantId: string, siteId: string, zoneId: string): Promise<boolean> {
    const r = await this.db.pool.query(SQL.remove, [tenantId, siteId, zoneId]);
    return (r.rowCount ?? 0) > 0;
  }

  async get(tenantId: string, siteId: string, zoneId: string): Promise<ZoneRecord | undefined> {
    return (await this.db.pool.query<ZoneRecord>(SQL.one, [tenantId, siteId, zoneId])).rows[0];
  }

  async ofSite(tenantId: string, siteId: string): Promise<ZoneRecord[]> {
    return (await this.db.pool.query<ZoneRecord>(SQL.ofSite, [tenantId, siteId])).rows;
  }
}
