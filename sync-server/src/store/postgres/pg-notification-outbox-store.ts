import type { AttemptOutcome, DeliveryAttempt, NewNotification, NotificationEvent } from '../notification-records';
import {
  outcomeColumns,
  toAttempt,
  toNotification,
  type AttemptRow,
  type NotificationRow,
  type OutboxEntry,
} from '../notification-outbox-store';
import type { NotificationOutboxPort } from '../ports';
import type { PgDb } from './pg-db';

const SQL = {
  /** One logical notification per (tenant, rule, alert, event), whichever instance enqueues it first. */
  enqueue: `INSERT INTO notifications (id, tenant_id, site_id, alert_id, rule_id, channel_id, channel_kind, event, body,
    status, attempts, queued_at, retry_since, next_attempt_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $10, $11) ON CONFLICT DO NOTHING`,
  enqueueAfter: `INSERT INTO notifications (id, tenant_id, site_id, alert_id, rule_id, channel_id, channel_kind, event, body,
    status, attempts, queued_at, retry_since, next_attempt_at)
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $10, $11
    WHERE EXISTS (SELECT 1 FROM notifications WHERE tenant_id = $2 AND rule_id = $5 AND alert_id = $4 AND event = $12)
    ON CONFLICT DO NOTHING`,
  /**
   * Instances claim disjoint rows (SKIP LOCKED) for `leaseMs`; a claim not settled by then (its
   * instance was killed) is taken over by the next instance that looks.
   */
  claim: `UPDATE notifications SET claimed_by = $1, claimed_until = $2
    WHERE id IN (SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= $3
      AND (claimed_until IS NULL OR claimed_until <= $3) ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
    RETURNING *`,
  releaseClaims: `UPDATE notifications SET claimed_by = NULL, claimed_until = NULL
    WHERE claimed_by IS NOT NULL AND ($1::text IS NULL OR claimed_by = $1) AND status = 'pending'`,
  defer: `UPDATE notifications SET next_attempt_at = $1, claimed_by = NULL, claimed_until = NULL WHERE id = $2 AND status = 'pending'`,
  postpone: `UPDATE notifications SET next_attempt_at = $1, retry_since = $1, claimed_by = NULL, claimed_until = NULL
    WHERE id = $2 AND status = 'pending'`,
  attempt: `INSERT INTO notification_attempts (notification_id, n, at, status_code, error, duration_ms)
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
  outcome: `UPDATE notifications SET status = $2, attempts = GREATEST(attempts, $3), next_attempt_at = COALESCE($4, next_attempt_at),
    delivered_at = $5, dead_at = $6, last_error = $7, claimed_by = NULL, claimed_until = NULL
    WHERE id = $1 AND status = 'pending'`,
  cancel: `UPDATE notifications SET status = 'cancelled', last_error = $1, claimed_by = NULL, claimed_until = NULL
    WHERE id = $2 AND status = 'pending'`,
  byId: 'SELECT * FROM notifications WHERE tenant_id = $1 AND id = $2',
  ofAlert: 'SELECT * FROM notifications WHERE tenant_id = $1 AND alert_id = $2 ORDER BY queued_at, id',
  attemptsOfAlert: `SELECT a.* FROM notification_attempts a JOIN notifications n ON n.id = a.notification_id
    WHERE n.tenant_id = $1 AND n.alert_id = $2 ORDER BY a.notification_id, a.n`,
  dead: `SELECT * FROM notifications WHERE tenant_id = $1 AND status = 'dead' ORDER BY dead_at DESC, id LIMIT $2`,
  retryDead: `UPDATE notifications SET status = 'pending', retry_since = $1, next_attempt_at = $1, dead_at = NULL
    WHERE tenant_id = $2 AND id = $3 AND status = 'dead'`,
} as const;

const values = (n: NewNotification) => [
  n.id,
  n.tenantId,
  n.siteId,
  n.alertId,
  n.ruleId,
  n.channelId,
  n.channelKind,
  n.event,
  n.body,
  n.queuedAt,
  n.nextAttemptAt,
];

/** The durable outbox in PostgreSQL, shared by every instance (the same contract as NotificationOutboxStore). */
export class PgNotificationOutboxStore implements NotificationOutboxPort {
  constructor(private readonly db: PgDb) {}

  async enqueue(n: NewNotification): Promise<boolean> {
    return (await this.db.pool.query(SQL.enqueue, values(n))).rowCount === 1;
  }

  async enqueueAfter(n: NewNotification, after: NotificationEvent): Promise<boolean> {
    return (await this.db.pool.query(SQL.enqueueAfter, [...values(n), after])).rowCount === 1;
  }

  async claim(holder: string, now: number, leaseMs: number, limit: number): Promise<OutboxEntry[]> {
    const rows = (await this.db.pool.query<NotificationRow>(SQL.claim, [holder, now + leaseMs, now, limit])).rows;
    return rows.map(toNotification).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id.localeCompare(b.id));
  }

  async releaseClaims(holder?: string): Promise<number> {
    return (await this.db.pool.query(SQL.releaseClaims, [holder ?? null])).rowCount ?? 0;
  }

  async defer(id: string, until: number): Promise<void> {
    await this.db.pool.query(SQL.defer, [until, id]);
  }

  async postpone(id: string, until: number): Promise<void> {
    await this.db.pool.query(SQL.postpone, [until, id]);
  }

  async recordAttempt(a: DeliveryAttempt, o: AttemptOutcome): Promise<boolean> {
    return this.db.tx(async (c) => {
      await c.query(SQL.attempt, [a.notificationId, a.n, a.at, a.statusCode ?? null, a.error ?? null, a.durationMs]);
      const o2 = outcomeColumns(a, o);
      const r = await c.query(SQL.outcome, [o2.id, o2.status, o2.n, o2.next, o2.deliveredAt, o2.deadAt, o2.error]);
      return r.rowCount === 1;
    });
  }

  async cancel(id: string, reason: string): Promise<boolean> {
    return (await this.db.pool.query(SQL.cancel, [reason, id])).rowCount === 1;
  }

  async byId(tenantId: string, id: string): Promise<OutboxEntry | undefined> {
    const row = (await this.db.pool.query<NotificationRow>(SQL.byId, [tenantId, id])).rows[0];
    return row ? toNotification(row) : undefined;
  }

  async ofAlert(tenantId: string, alertId: string): Promise<OutboxEntry[]> {
    return (await this.db.pool.query<NotificationRow>(SQL.ofAlert, [tenantId, alertId])).rows.map(toNotification);
  }

  async attemptsOfAlert(tenantId: string, alertId: string): Promise<DeliveryAttempt[]> {
    return (await this.db.pool.query<AttemptRow>(SQL.attemptsOfAlert, [tenantId, alertId])).rows.map(toAttempt);
  }

  async deadLetters(tenantId: string, limit = 200): Promise<OutboxEntry[]> {
    return (await this.db.pool.query<NotificationRow>(SQL.dead, [tenantId, limit])).rows.map(toNotification);
  }

  async retryDead(tenantId: string, id: string, now: number): Promise<boolean> {
    return (await this.db.pool.query(SQL.retryDead, [now, tenantId, id])).rowCount === 1;
  }
}
