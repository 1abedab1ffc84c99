/** Events (partitioned by day), door commands, generated reports. */
export const EVENT_MIGRATIONS: readonly string[] = [
  // Events are partitioned by day on `ts` (epoch ms, UTC days: events_pYYYYMMDD, created ahead of
  // time by PgEventsStore.ensurePartitions); a row outside every daily partition lands in
  // events_default. A unique key of a partitioned table must hold the partition key, so an event is
  // unique per (tenant, site, id, ts): an edge re-sends an event with its own ts. `id` and `type`
  // compare bytewise (COLLATE "C"), as SQLite orders text, so pages and cursors agree with it.
  // `data` is the JSON text as written, returned unchanged.
  `
  CREATE TABLE events (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, id TEXT COLLATE "C" NOT NULL, type TEXT COLLATE "C" NOT NULL,
    ts BIGINT NOT NULL, device_id TEXT, data TEXT, received_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, site_id, id, ts)) PARTITION BY RANGE (ts);
  CREATE TABLE events_default PARTITION OF events DEFAULT;
  CREATE INDEX events_by_time ON events(tenant_id, site_id, ts DESC, id DESC);
  CREATE INDEX events_by_type ON events(type, ts);
  CREATE TABLE commands (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, target TEXT NOT NULL, reason TEXT NOT NULL,
    issued_by TEXT NOT NULL, issuer_role TEXT NOT NULL, status TEXT NOT NULL, error TEXT, doors TEXT,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
  CREATE INDEX commands_by_site ON commands(tenant_id, site_id, created_at);
  CREATE INDEX commands_by_status ON commands(status, created_at);
  CREATE INDEX commands_by_time ON commands(created_at);
  CREATE TABLE report_jobs (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, site_id TEXT, period TEXT NOT NULL, format TEXT NOT NULL,
    from_ts BIGINT NOT NULL, to_ts BIGINT NOT NULL, status TEXT NOT NULL, progress DOUBLE PRECISION NOT NULL,
    error TEXT, created_by TEXT NOT NULL, created_at BIGINT NOT NULL, finished_at BIGINT, content BYTEA);
  CREATE INDEX report_jobs_by_tenant ON report_jobs(tenant_id, created_at);
  `,
];
