import type { Db } from './db';
import type {
  AttemptOutcome,
  ChannelKind,
  DeliveryAttempt,
  NewNotification,
  NotificationEvent,
  NotificationRecord,
  NotificationStatus,
} from './notification-records';

const SQL = {
  /** One logical notification per (tenant, rule, alert, event), whoever enqueues it and however often. */
  enqueue: `INSERT INTO notifications (id, tenant_id, site_id, alert_id, rule_id, channel_id, channel_kind, event, body,
    status, attempts, queued_at, retry_since, next_attempt_at)
    VALUES (@id, @tenantId, @siteId, @alertId, @ruleId, @channelId, @channelKind, @event, @body, 'pending', 0, @queuedAt, @queuedAt, @nextAttemptAt)
    ON CONFLICT DO NOTHING`,
  hasEvent: 'SELECT 1 FROM notifications WHERE tenant_id = ? AND rule_id = ? AND alert_id = ? AND event = ?',
  /** Due rows whose claim is free or ran out (the claimer died); claimed for `leaseMs`. */
  claim: `UPDATE notifications SET claimed_by = @holder, claimed_until = @until
    WHERE id IN (SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= @now
      AND (claimed_until IS NULL OR claimed_until <= @now) ORDER BY next_attempt_at, id LIMIT @limit)
    RETURNING *`,
  releaseClaims: `UPDATE notifications SET claimed_by = NULL, claimed_until = NULL
    WHERE claimed_by IS NOT NULL AND (@holder IS NULL OR claimed_by = @holder) AND status = 'pending'`,
  defer: `UPDATE notifications SET next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ? AND status = 'pending'`,
  /** Held back on purpose (a silence): its retry window starts again when it is sent. */
  postpone: `UPDATE notifications SET next_attempt_at = ?, retry_since = ?, claimed_by = NULL, claimed_until = NULL
    WHERE id = ? AND status = 'pending'`,
  attempt: `INSERT INTO notification_attempts (notification_id, n, at, status_code, error, duration_ms)
    VALUES (@notificationId, @n, @at, @statusCode, @error, @durationMs) ON CONFLICT DO NOTHING`,
  /** Only a pending notification moves on: a late answer never rewrites a delivered or dead one. */
  outcome: `UPDATE notifications SET status = @status, attempts = MAX(attempts, @n), next_attempt_at = COALESCE(@next, next_attempt_at),
    delivered_at = @deliveredAt, dead_at = @deadAt, last_error = @error, claimed_by = NULL, claimed_until = NULL
    WHERE id = @id AND status = 'pending'`,
  cancel: `UPDATE notifications SET status = 'cancelled', last_error = ?, claimed_by = NULL, claimed_until = NULL
    WHERE id = ? AND status = 'pending'`,
  byId: 'SELECT * FROM notifications WHERE tenant_id = ? AND id = ?',
  ofAlert: 'SELECT * FROM notifications WHERE tenant_id = ? AND alert_id = ? ORDER BY queued_at, id',
  attemptsOfAlert: `SELECT a.* FROM notification_attempts a JOIN notifications n ON n.id = a.notification_id
    WHERE n.tenant_id = ? AND n.alert_id = ? ORDER BY a.notification_id, a.n`,
  dead: `SELECT * FROM notifications WHERE tenant_id = ? AND status = 'dead' ORDER BY dead_at DESC, id LIMIT ?`,
  /** A dead letter gets a new retry window from now; its history stays. */
  retryDead: `UPDATE notifications SET status = 'pending', retry_since = ?, next_attempt_at = ?, dead_at = NULL
    WHERE tenant_id = ? AND id = ? AND status = 'dead'`,
} as const;

/** An outbox row, the same in SQLite and PostgreSQL. */
export interface NotificationRow {
  id: string;
  tenant_id: string;
  site_id: string;
  alert_id: string;
  rule_id: string;
  channel_id: string;
  channel_kind: string;
  event: string;
  body: string;
  status: string;
  attempts: number;
  queued_at: number;
  retry_since: number;
  next_attempt_at: number;
  delivered_at: number | null;
  dead_at: number | null;
  last_error: string | null;
}

export interface AttemptRow {
  notification_id: string;
  n: number;
  at: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export const toNotification = (r: NotificationRow): NotificationRecord & { retrySince: number } => ({
  id: r.id,
  tenantId: r.tenant_id,
  siteId: r.site_id,
  alertId: r.alert_id,
  ruleId: r.rule_id,
  channelId: r.channel_id,
  channelKind: r.channel_kind as ChannelKind,
  event: r.event as NotificationEvent,
  body: r.body,
  status: r.status as NotificationStatus,
  attempts: r.attempts,
  queuedAt: r.queued_at,
  retrySince: r.retry_since,
  nextAttemptAt: r.next_attempt_at,
  ...(r.delivered_at != null ? { deliveredAt: r.delivered_at } : {}),
  ...(r.dead_at != null ? { deadAt: r.dead_at } : {}),
  ...(r.last_error != null ? { lastError: r.last_error } : {}),
});

export const toAttempt = (r: AttemptRow): DeliveryAttempt => ({
  notificationId: r.notification_id,
  n: r.n,
  at: r.at,
  ...(r.status_code != null ? { statusCode: r.status_code } : {}),
  ...(r.error != null ? { error: r.error } : {}),
  durationMs: r.duration_ms,
});

/** How an attempt's outcome changes its notification, for both backends. */
export const outcomeColumns = (a: DeliveryAttempt, o: AttemptOutcome) => ({
  id: a.notificationId,
  status: o.status,
  n: a.n,
  next: o.status === 'pending' ? o.nextAttemptAt : null,
  deliveredAt: o.status === 'delivered' ? a.at : null,
  deadAt: o.status === 'dead' ? a.at : null,
  error: o.status === 'delivered' ? null : (a.error ?? (a.statusCode !== undefined ? `HTTP ${a.statusCode}` : 'failed')),
});

/** The outbox row of a notification with its retry window's start (used by the delivery worker). */
export type OutboxEntry = NotificationRecord & { retrySince: number };

/** The durable outbox of notifications and every delivery attempt (SQLite: one process claims). */
export class NotificationOutboxStore {
  constructor(private readonly db: Db) {}

  /** true when new; false when this (rule, alert, event) was already enqueued. */
  enqueue(n: NewNotification): boolean {
    return this.db.prepare(SQL.enqueue).run(n).changes === 1;
  }

  /** Enqueues `n` only when `after` was enqueued for the same rule and alert (a resolution follows a raise). */
  enqueueAfter(n: NewNotification, after: NotificationEvent): boolean {
    return this.db.transaction(() => {
      if (!this.db.prepare(SQL.hasEvent).get(n.tenantId, n.ruleId, n.alertId, after)) return false;
      return this.enqueue(n);
    })();
  }

  claim(holder: string, now: number, leaseMs: number, limit: number): OutboxEntry[] {
    const rows = this.db.prepare(SQL.claim).all({ holder, until: now + leaseMs, now, limit }) as NotificationRow[];
    return rows.map(toNotification).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id.localeCompare(b.id));
  }

  /** Frees the claims of `holder` (an instance stopping), or all of them (the sole process of a SQLite file starting). */
  releaseClaims(holder?: string): number {
    return this.db.prepare(SQL.releaseClaims).run({ holder: holder ?? null }).changes;
  }

  /** Gives a claimed notification back without an attempt, due again at `until` (its endpoint's breaker is open). */
  defer(id: string, until: number): void {
    this.db.prepare(SQL.defer).run(until, id);
  }

  /** Holds a notification back until `until`, its retry window (at least an hour) counted from then. */
  postpone(id: string, until: number): void {
    this.db.prepare(SQL.postpone).run(until, until, id);
  }

  recordAttempt(a: DeliveryAttempt, o: AttemptOutcome): boolean {
    return this.db.transaction(() => {
      this.db.prepare(SQL.attempt).run({ ...a, statusCode: a.statusCode ?? null, error: a.error ?? null });
      return this.db.prepare(SQL.outcome).run(outcomeColumns(a, o)).changes === 1;
    })();
  }

  cancel(id: string, reason: string): boolean {
    return this.db.prepare(SQL.cancel).run(reason, id).changes === 1;
  }

  byId(tenantId: string, id: string): OutboxEntry | undefined {
    const row = this.db.prepare(SQL.byId).get(tenantId, id) as NotificationRow | undefined;
    return row ? toNotification(row) : undefined;
  }

  ofAlert(tenantId: string, alertId: string): OutboxEntry[] {
    return (this.db.prepare(SQL.ofAlert).all(tenantId, alertId) as NotificationRow[]).map(toNotification);
  }

  attemptsOfAlert(tenantId: string, alertId: string): DeliveryAttempt[] {
    return (this.db.prepare(SQL.attemptsOfAlert).all(tenantId, alertId) as AttemptRow[]).map(toAttempt);
  }

  deadLetters(tenantId: string, limit = 200): OutboxEntry[] {
    return (this.db.prepare(SQL.dead).all(tenantId, limit) as NotificationRow[]).map(toNotification);
  }

  /** Puts a dead letter back in the outbox, due now, with a fresh retry window; false when it is not dead. */
  retryDead(tenantId: string, id: string, now: number): boolean {
    return this.db.prepare(SQL.retryDead).run(now, now, tenantId, id).changes === 1;
  }
}
