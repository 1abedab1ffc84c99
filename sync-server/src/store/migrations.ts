/**
 * Schema migrations, applied in order inside one transaction each; `user_version` records the
 * last applied one so a data directory from an older build upgrades in place.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE sites (
    tenant_id TEXT NOT NULL REFERENCES tenants(id), id TEXT NOT NULL, name TEXT NOT NULL,
    lat REAL NOT NULL, lng REAL NOT NULL, timezone TEXT NOT NULL, address TEXT,
    PRIMARY KEY (tenant_id, id));
  CREATE TABLE users (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL, role TEXT NOT NULL, site_ids TEXT NOT NULL, password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
  CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), family_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL, used_at INTEGER, revoked_at INTEGER, created_at INTEGER NOT NULL);
  CREATE INDEX refresh_family ON refresh_tokens(family_id);
  CREATE TABLE edge_tokens (
    jti TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    created_at INTEGER NOT NULL, revoked_at INTEGER);
  CREATE TABLE members (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, body TEXT, version INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id));
  CREATE INDEX members_version ON members(tenant_id, version);
  CREATE TABLE permission_versions (tenant_id TEXT PRIMARY KEY, version INTEGER NOT NULL);
  CREATE TABLE events (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, ts INTEGER NOT NULL,
    device_id TEXT, data TEXT, received_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, id)) WITHOUT ROWID;
  CREATE INDEX events_by_time ON events(tenant_id, site_id, ts, id);
  CREATE INDEX events_by_type ON events(type, ts);
  CREATE TABLE commands (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, target TEXT NOT NULL, reason TEXT NOT NULL,
    issued_by TEXT NOT NULL, issuer_role TEXT NOT NULL, status TEXT NOT NULL, error TEXT,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
  CREATE INDEX commands_by_site ON commands(tenant_id, site_id, created_at);
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, tenant_id TEXT NOT NULL, ts INTEGER NOT NULL,
    actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL, site_id TEXT,
    source TEXT, details TEXT);
  CREATE INDEX audit_by_time ON audit(tenant_id, ts);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  CREATE TABLE doc_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_name TEXT NOT NULL, data BLOB NOT NULL, created_at INTEGER NOT NULL);
  CREATE INDEX doc_updates_by_doc ON doc_updates(doc_name, seq);
  CREATE TABLE report_jobs (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, site_id TEXT, period TEXT NOT NULL, format TEXT NOT NULL,
    from_ts INTEGER NOT NULL, to_ts INTEGER NOT NULL, status TEXT NOT NULL, progress REAL NOT NULL,
    error TEXT, created_by TEXT NOT NULL, created_at INTEGER NOT NULL, finished_at INTEGER, content BLOB);
  CREATE INDEX report_jobs_by_tenant ON report_jobs(tenant_id, created_at);
  `,
  `
  CREATE INDEX refresh_by_user ON refresh_tokens(user_id);
  `,
  // Events move from a table clustered on (tenant, site, random event id) to one appended in
  // arrival order: a clustered random key put every ingested row on a different page, so each
  // commit rewrote thousands of pages. Only the narrow unique index that de-duplicates is random now.
  `
  CREATE TABLE events_by_arrival (
    seq INTEGER PRIMARY KEY, tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,
    ts INTEGER NOT NULL, device_id TEXT, data TEXT, received_at INTEGER NOT NULL);
  INSERT INTO events_by_arrival (tenant_id, site_id, id, type, ts, device_id, data, received_at)
    SELECT tenant_id, site_id, id, type, ts, device_id, data, received_at FROM events ORDER BY received_at, ts;
  DROP TABLE events;
  ALTER TABLE events_by_arrival RENAME TO events;
  CREATE UNIQUE INDEX events_once ON events(tenant_id, site_id, id);
  CREATE INDEX events_by_time ON events(tenant_id, site_id, ts, id);
  CREATE INDEX events_by_type ON events(type, ts);
  `,
  // A mode change's per-door results as the edge reported them (JSON array of {doorId, result, error?}).
  `
  ALTER TABLE commands ADD COLUMN doors TEXT;
  `,
  // Zones of a site as the server records them (PUT /api/v1/sites/{siteId}/zones/{zoneId}); the
  // site document shows them, but a document is a copy that consoles and edges also write.
  `
  CREATE TABLE site_zones (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, id)) WITHOUT ROWID;
  `,
  // Auth: a password set by an admin must be replaced at the next sign-in; revoked people's tokens
  // (disabled, re-scoped, password changed, LAN token given up) that edges must refuse offline.
  `
  ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE token_revocations (
    tenant_id TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, issued_before INTEGER NOT NULL, until INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, kind, subject)) WITHOUT ROWID;
  CREATE INDEX token_revocations_until ON token_revocations(until);
  `,
  // The mode and fire state each site's edge last reported (hello, heartbeat, executed mode command):
  // the server's own record, kept across restarts; a console's copy in the site document is not it.
  `
  CREATE TABLE site_reports (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, mode TEXT NOT NULL, fire_active INTEGER NOT NULL,
    reported_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, site_id)) WITHOUT ROWID;
  `,
  // Personal data at rest: member bodies sealed with a per-tenant data key that the master key wraps
  // (store/tenant-keys-store.ts). SQL cannot seal, so the plaintext table is renamed here and
  // MembersStore seals its rows into the new one at start. member_credentials keeps a credential
  // unique in a tenant by a keyed tag of it, never the value.
  `
  CREATE TABLE tenant_keys (tenant_id TEXT PRIMARY KEY, wrapped BLOB NOT NULL, created_at INTEGER NOT NULL);
  DROP INDEX members_version;
  ALTER TABLE members RENAME TO members_plaintext;
  CREATE TABLE members (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, body BLOB, version INTEGER NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id));
  CREATE INDEX members_version ON members(tenant_id, version);
  CREATE TABLE member_credentials (
    tenant_id TEXT NOT NULL, credential BLOB NOT NULL, member_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, credential)) WITHOUT ROWID;
  CREATE INDEX member_credentials_by_member ON member_credentials(tenant_id, member_id);
  `,
  // Audit hash chain (store/audit-chain.ts) and redactable personal fields: actor, source and details
  // move to audit_personal, which retention deletes while the record in audit_log keeps their hash.
  // `audit` becomes a view of both with the columns it had, for readers. The old records are
  // renamed here and chained by AuditStore at start (SQL has no keyed hash). Commands get a time
  // index for retention.
  `
  DROP TRIGGER audit_no_update;
  DROP TRIGGER audit_no_delete;
  DROP INDEX audit_by_time;
  ALTER TABLE audit RENAME TO audit_legacy;
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, tenant_id TEXT NOT NULL, ts INTEGER NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL, site_id TEXT,
    personal_hash TEXT NOT NULL, hash TEXT NOT NULL);
  CREATE INDEX audit_by_time ON audit_log(tenant_id, ts);
  CREATE INDEX audit_chain ON audit_log(tenant_id, seq);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  CREATE TABLE audit_personal (
    seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, salt BLOB NOT NULL, actor TEXT NOT NULL, source TEXT, details TEXT);
  CREATE INDEX audit_personal_by_time ON audit_personal(ts);
  CREATE VIEW audit AS
    SELECT l.seq, l.id, l.tenant_id, l.ts, p.actor, l.action, l.target, l.result, l.site_id, p.source, p.details
    FROM audit_log l LEFT JOIN audit_personal p ON p.seq = l.seq;
  CREATE INDEX commands_by_time ON commands(created_at);
  `,
  // The device list each site's edge last reported over its link (store/device-reports-store.ts):
  // the server's record of a site's devices, which a console's copy in the site document is not.
  `
  CREATE TABLE site_devices (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, devices TEXT NOT NULL, reported_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id)) WITHOUT ROWID;
  `,
  // Notification delivery (domain/notifications): channels and routing rules per tenant, and the
  // durable outbox — one row per (rule, alert, event), however many instances or passes enqueue it —
  // with every delivery attempt, so retries survive a restart and each alert has a delivery log.
  `
  CREATE TABLE notification_channels (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, secret BLOB, secret_hint TEXT,
    created_by TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
  CREATE TABLE notification_rules (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, channel_id TEXT NOT NULL, site_ids TEXT, categories TEXT, min_severity TEXT,
    escalate_after_min INTEGER, notify_resolved INTEGER NOT NULL, created_by TEXT NOT NULL, created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
  CREATE TABLE notifications (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, alert_id TEXT NOT NULL, rule_id TEXT NOT NULL,
    channel_id TEXT NOT NULL, channel_kind TEXT NOT NULL, event TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL,
    attempts INTEGER NOT NULL, queued_at INTEGER NOT NULL, retry_since INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL,
    delivered_at INTEGER, dead_at INTEGER, last_error TEXT, claimed_by TEXT, claimed_until INTEGER,
    UNIQUE (tenant_id, rule_id, alert_id, event));
  CREATE INDEX notifications_due ON notifications(status, next_attempt_at);
  CREATE INDEX notifications_by_alert ON notifications(tenant_id, alert_id);
  CREATE TABLE notification_attempts (
    notification_id TEXT NOT NULL, n INTEGER NOT NULL, at INTEGER NOT NULL, status_code INTEGER, error TEXT,
    duration_ms INTEGER NOT NULL, PRIMARY KEY (notification_id, n)) WITHOUT ROWID;
  `,
  `
  CREATE TABLE notification_silences (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, site_id TEXT NOT NULL, device_id TEXT, types TEXT, starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL, reason TEXT NOT NULL, author_id TEXT NOT NULL, author_name TEXT NOT NULL, created_at INTEGER NOT NULL,
    ended_at INTEGER, PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
  CREATE INDEX notification_silences_by_end ON notification_silences(tenant_id, ends_at);
  ALTER TABLE notification_rules ADD COLUMN escalation_only INTEGER NOT NULL DEFAULT 0;
  `,
  // Firmware rollouts (store/firmware-rollouts-store.ts): the record as JSON, its state for the running ones.
  `
  CREATE TABLE firmware_rollouts (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, site_id TEXT NOT NULL, state TEXT NOT NULL, body TEXT NOT NULL,
    updated_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
  CREATE INDEX firmware_rollouts_running ON firmware_rollouts(state);
  `,
  // Device availability transitions (store/device-availability-store.ts), bounded per device.
  `
  CREATE TABLE device_availability (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, device_id TEXT NOT NULL, at INTEGER NOT NULL, online INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, device_id, at)) WITHOUT ROWID;
  CREATE INDEX device_availability_by_time ON device_availability(at);
  `,
  // MQTT logins issued per device for a closed embedded broker (store/device-logins-store.ts): the
  // scrypt hash only; a revoked login keeps its row (revoked_at) so the edge's copy can be corrected.
  `
  CREATE TABLE device_logins (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, device_id TEXT NOT NULL, username TEXT NOT NULL, password_hash TEXT NOT NULL,
    issued_at INTEGER NOT NULL, issued_by TEXT NOT NULL, revoked_at INTEGER, PRIMARY KEY (tenant_id, site_id, device_id)) WITHOUT ROWID;
  `,
  // Bookings (store/bookings-store.ts and its neighbours): resources with their rules, bookings with
  // the state the cloud settled, the facts edges observed (each once), series and usage records.
  `
  CREATE TABLE booking_resources (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    zone_id TEXT NOT NULL, capacity INTEGER NOT NULL, rules TEXT NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id, id)) WITHOUT ROWID;
  CREATE TABLE bookings (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, site_id TEXT NOT NULL, resource_id TEXT NOT NULL, member_id TEXT NOT NULL,
    start_ts INTEGER NOT NULL, end_ts INTEGER NOT NULL, state TEXT NOT NULL, checked_in_at INTEGER, released_at INTEGER,
    cancel_reason TEXT, series_id TEXT, grace_ms INTEGER NOT NULL, early_ms INTEGER NOT NULL, created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL, version INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id));
  CREATE INDEX bookings_by_resource ON bookings(tenant_id, site_id, resource_id, start_ts);
  CREATE INDEX bookings_by_site ON bookings(tenant_id, site_id, start_ts);
  CREATE INDEX bookings_by_state ON bookings(state, start_ts);
  CREATE INDEX bookings_by_start ON bookings(start_ts);
  CREATE INDEX bookings_by_series ON bookings(tenant_id, series_id);
  CREATE TABLE booking_facts (
    tenant_id TEXT NOT NULL, booking_id TEXT NOT NULL, kind TEXT NOT NULL, at INTEGER NOT NULL, source TEXT NOT NULL,
    recorded_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, booking_id, kind, at, source)) WITHOUT ROWID;
  CREATE TABLE booking_series (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, site_id TEXT NOT NULL, resource_id TEXT NOT NULL, member_id TEXT NOT NULL,
    rrule TEXT NOT NULL, skip_holidays INTEGER NOT NULL, missed_count INTEGER NOT NULL, state TEXT NOT NULL,
    created_at INTEGER NOT NULL, created_by TEXT NOT NULL, PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
  CREATE TABLE booking_usage (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, site_id TEXT NOT NULL, member_id TEXT NOT NULL, resource_id TEXT NOT NULL,
    booking_id TEXT NOT NULL, kind TEXT NOT NULL, minutes INTEGER NOT NULL, at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
  CREATE INDEX booking_usage_by_time ON booking_usage(tenant_id, at);
  `,
  // Site policies (store/policies-store.ts): policies, immutable numbered versions (body as JSON),
  // and each site's assigned version with its rollout status and what its edge last reported.
  `
  CREATE TABLE policies (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
  CREATE TABLE policy_versions (
    tenant_id TEXT NOT NULL, policy_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL, PRIMARY KEY (tenant_id, policy_id, version)) WITHOUT ROWID;
  CREATE TABLE policy_assignments (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, policy_id TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,
    error TEXT, applied_policy_id TEXT, applied_version INTEGER, updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id)) WITHOUT ROWID;
  CREATE INDEX policy_assignments_by_policy ON policy_assignments(tenant_id, policy_id);
  `,
  // Staged policy rollouts (store/policy-rollouts-store.ts): the record as JSON, its state for the ones still running.
  `
  CREATE TABLE policy_rollouts (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, policy_id TEXT NOT NULL, state TEXT NOT NULL, body TEXT NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (tenant_id, id)) WITHOUT ROWID;
  CREATE INDEX policy_rollouts_by_policy ON policy_rollouts(tenant_id, policy_id);
  CREATE INDEX policy_rollouts_by_state ON policy_rollouts(state);
  `,
  // Per-minute aggregates of device readings (store/telemetry-minutes-store.ts): the reports' time series.
  `
  CREATE TABLE telemetry_minutes (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, device_id TEXT NOT NULL, minute INTEGER NOT NULL, field TEXT NOT NULL,
    count INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
    PRIMARY KEY (tenant_id, site_id, device_id, minute, field)) WITHOUT ROWID;
  CREATE INDEX telemetry_minutes_by_time ON telemetry_minutes(minute);
  `,
];
