import type { BookingResourcesPort } from '../ports';
import { toResource, type ResourceRecord, type ResourceRow } from '../booking-records';
import type { PgDb } from './pg-db';

const SQL = {
  upsert: `INSERT INTO booking_resources (tenant_id, site_id, id, kind, name, zone_id, capacity, rules, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, site_id, id) DO UPDATE SET kind = excluded.kind,
    name = excluded.name, zone_id = excluded.zone_id, capacity = excluded.capacity, rules = excluded.rules, updated_at = excluded.updated_at
    RETURNING (xmax = 0) AS created`,
  one: 'SELECT * FROM booking_resources WHERE tenant_id = $1 AND site_id = $2 AND id = $3',
  ofSite: 'SELECT * FROM booking_resources WHERE tenant_id = $1 AND site_id = $2 ORDER BY id',
  remove: 'DELETE FROM booking_resources WHERE tenant_id = $1 AND site_id = $2 AND id = $3',
} as const;

/** Bookable resources in PostgreSQL (the same contract as BookingResourcesStore). */
export class PgBookingResourcesStore implements BookingResourcesPort {
  constructor(private readonly db: PgDb) {}

  async put(r: ResourceRecord, now = Date.now()): Promise<boolean> {
    const res = await this.db.pool.query<{ created: boolean }>(SQL.upsert, [r.tenantId, r.siteId, r.id, r.kind, r.name, r.zoneId, r.capacity, JSON.stringify(r.rules), now]);
    return res.rows[0]?.created === true;
  }

  async get(tenantId: string, siteId: string, id: string): Promise<ResourceRecord | undefined> {
    const row = (await this.db.pool.query<ResourceRow>(SQL.one, [tenantId, siteId, id])).rows[0];
    return row ? toResource(row) : undefined;
  }

  async ofSite(tenantId: string, siteId: string): Promise<ResourceRecord[]> {
    return (await this.db.pool.query<ResourceRow>(SQL.ofSite, [tenantId, siteId])).rows.map(toResource);
  }

  async remove(tenantId: string, siteId: string, id: string): Promise<boolean> {
    return ((await this.db.pool.query(SQL.remove, [tenantId, siteId, id])).rowCount ?? 0) > 0;
  }
}
