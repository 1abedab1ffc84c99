/** Device availability transitions (store/device-availability-store.ts) and per-device MQTT logins. */
export const DEVICE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE device_availability (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, device_id TEXT NOT NULL, at BIGINT NOT NULL, online BOOLEAN NOT NULL,
    PRIMARY KEY (tenant_id, site_id, device_id, at));
  CREATE INDEX device_availability_by_time ON device_availability(at);
  `,
  `
  CREATE TABLE device_logins (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, device_id TEXT NOT NULL, username TEXT NOT NULL, password_hash TEXT NOT NULL,
    issued_at BIGINT NOT NULL, issued_by TEXT NOT NULL, revoked_at BIGINT, PRIMARY KEY (tenant_id, site_id, device_id));
  `,
];
