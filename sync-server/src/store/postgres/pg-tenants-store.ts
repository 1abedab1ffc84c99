import type { TenantsPort } from '../ports';
import { toSite, type SiteRecord, type SiteRow } from '../tenants-store';
import type { PgDb } from './pg-db';

const SQL = {
  insertTenant: 'INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
  tenantExists: 'SELECT 1 FROM tenants WHERE id = $1',
  allTenants: 'SELECT id FROM tenants ORDER BY id',
  upsertSite: `INSERT INTO sites (tenant_id, id, name, lat, lng, timezone, address) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, lat = excluded.lat, lng = excluded.lng,
    timezone = excluded.timezone, address = excluded.address`,
  site: 'SELECT * FROM sites WHERE tenant_id = $1 AND id = $2',
  sitesOfTenant: 'SELECT * FROM sites WHERE tenant_id = $1 ORDER BY id',
  allSites: 'SELECT * FROM sites ORDER BY tenant_id, id',
} as const;

/** Tenants and their site directory in PostgreSQL (the same contract as TenantsStore). */
export class PgTenantsStore implements TenantsPort {
  constructor(private readonly db: PgDb) {}

  async addTenant(id: string, name: string, now = Date.now()): Promise<void> {
    await this.db.pool.query(SQL.insertTenant, [id, name, now]);
  }

  async hasTenant(id: string): Promise<boolean> {
    return ((await this.db.pool.query(SQL.tenantExists, [id])).rowCount ?? 0) > 0;
  }

  async tenantIds(): Promise<string[]> {
    return (await this.db.pool.query<{ id: string }>(SQL.allTenants)).rows.map((r) => r.id);
  }

  async upsertSite(s: SiteRecord): Promise<void> {
    await this.db.pool.query(SQL.upsertSite, [s.tenantId, s.id, s.name, s.lat, s.lng, s.timezone, s.address ?? null]);
  }

  async site(tenantId: string, siteId: string): Promise<SiteRecord | undefined> {
    const row = (await this.db.pool.query<SiteRow>(SQL.site, [tenantId, siteId])).rows[0];
    return row ? toSite(row) : undefined;
  }

  async sites(tenantId: string): Promise<SiteRecord[]> {
    return (await this.db.pool.query<SiteRow>(SQL.sitesOfTenant, [tenantId])).rows.map(toSite);
  }

  async allSites(): Promise<SiteRecord[]> {
    return (await this.db.pool.query<SiteRow>(SQL.allSites)).rows.map(toSite);
  }
}
