/** Bookings: resources, bookings, facts, series, usage (store/bookings-store.ts and its neighbours). */
export const BOOKING_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE booking_resources (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    zone_id TEXT NOT NULL, capacity INTEGER NOT NULL, rules TEXT NOT NULL, updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, site_id, id));
  CREATE TABLE bookings (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, site_id TEXT NOT NULL, resource_id TEXT NOT NULL, member_id TEXT NOT NULL,
    start_ts BIGINT NOT NULL, end_ts BIGINT NOT NULL, state TEXT NOT NULL, checked_in_at BIGINT, released_at BIGINT,
    cancel_reason TEXT, series_id TEXT, grace_ms BIGINT NOT NULL, early_ms BIGINT NOT NULL, created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL, version INTEGER NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id));
  CREATE INDEX bookings_by_resource ON bookings(tenant_id, site_id, resource_id, start_ts);
  CREATE INDEX bookings_by_site ON bookings(tenant_id, site_id, start_ts);
  CREATE INDEX bookings_by_state ON bookings(state, start_ts);
  CREATE INDEX bookings_by_start ON bookings(start_ts);
  CREATE INDEX bookings_by_series ON bookings(tenant_id, series_id);
  CREATE TABLE booking_facts (
    tenant_id TEXT NOT NULL, booking_id TEXT NOT NULL, kind TEXT NOT NULL, at BIGINT NOT NULL, source TEXT NOT NULL,
    recorded_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, booking_id, kind, at, source));
  CREATE TABLE booking_series (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, site_id TEXT NOT NULL, resource_id TEXT NOT NULL, member_id TEXT NOT NULL,
    rrule TEXT NOT NULL, skip_holidays BOOLEAN NOT NULL, missed_count INTEGER NOT NULL, state TEXT NOT NULL,
    created_at BIGINT NOT NULL, created_by TEXT NOT NULL, PRIMARY KEY (tenant_id, id));
  CREATE TABLE booking_usage (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, site_id TEXT NOT NULL, member_id TEXT NOT NULL, resource_id TEXT NOT NULL,
    booking_id TEXT NOT NULL, kind TEXT NOT NULL, minutes INTEGER NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id));
  CREATE INDEX booking_usage_by_time ON booking_usage(tenant_id, at);
  `,
];
