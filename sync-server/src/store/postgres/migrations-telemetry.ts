/** Per-minute aggregates of device readings (store/telemetry-minutes-store.ts): the reports' time series. */
export const TELEMETRY_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE telemetry_minutes (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, device_id TEXT NOT NULL, minute BIGINT NOT NULL, field TEXT NOT NULL,
    count BIGINT NOT NULL, sum DOUBLE PRECISION NOT NULL, min DOUBLE PRECISION NOT NULL, max DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (tenant_id, site_id, device_id, minute, field));
  CREATE INDEX telemetry_minutes_by_time ON telemetry_minutes(minute);
  `,
];
