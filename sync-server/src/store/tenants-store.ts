import type { Db } from './db';

/** A site as the cloud's directory records it. */
export interface SiteRecord {
  tenantId: string;
  id: string;
  name: string;
  lat: number;
  lng: number;
  timezone: string;
  address?: string;
}

const SQL = {
  insertTenant: 'INSERT OR IGNORE INTO tenants (id, name, created_at) VALUES (?, ?, ?)',
  tenantExists: 'SELECT 1 FROM tenants WHERE id = ?',
  allTenants: 'SELECT id FROM tenants ORDER BY id',
  upsertSite: `INSERT INTO sites (tenant_id, id, name, lat, lng, timezone, address) VALUES (@tenantId, @id, @name, @lat, @lng, @timezone, @address)
    ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, lat = excluded.lat, lng = excluded.lng,
    timezone = excluded.timezone, address = excluded.address`,
  site: 'SELECT * FROM sites WHERE tenant_id = ? AND id = ?',
  sitesOfTenant: 'SELECT * FROM sites WHERE tenant_id = ? ORDER BY id',
  allSites: 'SELECT * FROM sites ORDER BY tenant_id, id',
} as const;

export interface SiteRow {
  tenant_id: string;
  id: string;
  name: string;
  lat: number;
  lng: number;
  timezone: string;
  address: string | null;
}

export const toSite = (r: SiteRow): SiteRecord => ({
  tenantId: r.tenant_id,
  id: r.id,
  name: r.name,
  lat: r.lat,
  lng: r.lng,
  timezone: r.timezone,
  ...(r.address ? { address: r.address } : {}),
});

/** Tenants and their site directory. */
export class TenantsStore {
  constructor(private readonly db: Db) {}

  addTenant(id: string, name: string, now = Date.now()): void {
    this.db.prepare(SQL.insertTenant).run(id, name, now);
  }

  hasTenant(id: string): boolean {
    return this.db.prepare(SQL.tenantExists).get(id) !== undefined;
  }

  tenantIds(): string[] {
    return (this.db.prepare(SQL.allTenants).all() as Array<{ id: string }>).map((r) => r.id);
  }

  upsertSite(site: SiteRecord): void {
    this.db.prepare(SQL.upsertSite).run({ ...site, address: site.address ?? null });
  }

  site(tenantId: string, siteId: string): SiteRecord | undefined {
    const row = this.db.prepare(SQL.site).get(tenantId, siteId) as SiteRow | undefined;
    return row ? toSite(row) : undefined;
  }

  sites(tenantId: string): SiteRecord[] {
    return (this.db.prepare(SQL.sitesOfTenant).all(tenantId) as SiteRow[]).map(toSite);
  }

  allSites(): SiteRecord[] {
    return (this.db.prepare(SQL.allSites).all() as SiteRow[]).map(toSite);
  }
}
