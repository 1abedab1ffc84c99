/** Tenants, sites, zones, site and device reports. */
export const ADMIN_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL);
  CREATE TABLE sites (
    tenant_id TEXT NOT NULL REFERENCES tenants(id), id TEXT NOT NULL, name TEXT NOT NULL,
    lat DOUBLE PRECISION NOT NULL, lng DOUBLE PRECISION NOT NULL, timezone TEXT NOT NULL, address TEXT,
    PRIMARY KEY (tenant_id, id));
  CREATE TABLE site_zones (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, site_id, id));
  CREATE TABLE site_reports (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, mode TEXT NOT NULL, fire_active BOOLEAN NOT NULL,
    reported_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, site_id));
  CREATE TABLE site_devices (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, devices TEXT NOT NULL, reported_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, site_id));
  `,
];
