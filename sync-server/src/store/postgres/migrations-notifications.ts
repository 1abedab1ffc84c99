/**
 * Notification delivery (domain/notifications): channels and routing rules per tenant, and the
 * durable outbox — one row per (rule, alert, event), however many instances enqueue it — with
 * every delivery attempt. `claimed_until` lets another instance take over a dead one's claims.
 */
export const NOTIFICATION_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE notification_channels (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, secret BYTEA, secret_hint TEXT,
    created_by TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id));
  CREATE TABLE notification_rules (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, channel_id TEXT NOT NULL, site_ids TEXT, categories TEXT, min_severity TEXT,
    escalate_after_min INTEGER, notify_resolved BOOLEAN NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id));
  CREATE TABLE notifications (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, alert_id TEXT NOT NULL, rule_id TEXT NOT NULL,
    channel_id TEXT NOT NULL, channel_kind TEXT NOT NULL, event TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL,
    attempts INTEGER NOT NULL, queued_at BIGINT NOT NULL, retry_since BIGINT NOT NULL, next_attempt_at BIGINT NOT NULL,
    delivered_at BIGINT, dead_at BIGINT, last_error TEXT, claimed_by TEXT, claimed_until BIGINT,
    UNIQUE (tenant_id, rule_id, alert_id, event));
  CREATE INDEX notifications_due ON notifications(next_attempt_at) WHERE status = 'pending';
  CREATE INDEX notifications_by_alert ON notifications(tenant_id, alert_id);
  CREATE TABLE notification_attempts (
    notification_id TEXT NOT NULL, n INTEGER NOT NULL, at BIGINT NOT NULL, status_code INTEGER, error TEXT,
    duration_ms INTEGER NOT NULL, PRIMARY KEY (notification_id, n));
  `,
  `
  CREATE TABLE notification_silences (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, site_id TEXT NOT NULL, device_id TEXT, types TEXT, starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL, reason TEXT NOT NULL, author_id TEXT NOT NULL, author_name TEXT NOT NULL, created_at BIGINT NOT NULL,
    ended_at BIGINT, PRIMARY KEY (tenant_id, id));
  CREATE INDEX notification_silences_by_end ON notification_silences(tenant_id, ends_at);
  ALTER TABLE notification_rules ADD COLUMN escalation_only BOOLEAN NOT NULL DEFAULT FALSE;
  `,
];
