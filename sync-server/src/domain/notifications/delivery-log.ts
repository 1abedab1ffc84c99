import { authorize, type UserPrincipal } from '@cr/shared';
import { forbidden, notFound } from '../errors';
import { auditAdminChange } from '../audit/admin-audit';
import type { AuditPort, NotificationOutboxPort, NotificationSetupPort } from '../../store/ports';
import type { ChannelRecord, DeliveryAttempt } from '../../store/notification-records';
import type { OutboxEntry } from '../../store/notification-outbox-store';

/** One notification as the delivery log shows it: which channel, when queued, every attempt, when delivered. */
export interface DeliveryView {
  id: string;
  alertId: string;
  siteId: string;
  event: OutboxEntry['event'];
  ruleId: string;
  channel: { id: string; kind: string; label?: string };
  status: OutboxEntry['status'];
  queuedAt: number;
  nextAttemptAt?: number;
  deliveredAt?: number;
  deadAt?: number;
  lastError?: string;
  attempts: Array<Omit<DeliveryAttempt, 'notificationId'>>;
}

/** Who a channel reaches, in a few words: the webhook's host, the addresses, the numbers. */
function channelLabel(c: ChannelRecord | undefined): string | undefined {
  if (!c) return undefined;
  if (c.target.kind === 'webhook') return new URL(c.target.url).host;
  return c.target.to.join(', ');
}

/** The delivery log of alerts, the dead letters, and retrying one: read by HQ and admins, by site managers for their sites. */
export class DeliveryLog {
  constructor(
    private readonly d: {
      outbox: NotificationOutboxPort;
      setup: NotificationSetupPort;
      audit: AuditPort;
      /** told after a dead letter went back into the outbox */
      onRetry: () => void;
      now?: () => number;
    },
  ) {}

  /** Every notification of one alert the caller may see, oldest first. */
  async ofAlert(user: UserPrincipal, alertId: string): Promise<DeliveryView[]> {
    this.require(user);
    const rows = (await this.d.outbox.ofAlert(user.tenantId, alertId)).filter((n) => this.visible(user, n));
    if (rows.length === 0) return [];
    const attempts = await this.d.outbox.attemptsOfAlert(user.tenantId, alertId);
    return this.views(user.tenantId, rows, attempts);
  }

  async deadLetters(user: UserPrincipal): Promise<DeliveryView[]> {
    this.require(user);
    const rows = (await this.d.outbox.deadLetters(user.tenantId)).filter((n) => this.visible(user, n));
    const attempts = (
      await Promise.all([...new Set(rows.map((r) => r.alertId))].map((a) => this.d.outbox.attemptsOfAlert(user.tenantId, a)))
    ).flat();
    return this.views(user.tenantId, rows, attempts);
  }

  /** Puts a dead letter back in the outbox with a new retry window (tenant-admin). */
  async retry(admin: UserPrincipal, id: string, source: string): Promise<void> {
    const decision = authorize(admin, admin.tenantId, { type: 'notifications.manage' });
    if (!decision.allowed) throw forbidden(decision.reason ?? 'not allowed');
    const n = await this.d.outbox.byId(admin.tenantId, id);
    if (!n || n.status !== 'dead') throw notFound('dead letter');
    if (!(await this.d.outbox.retryDead(admin.tenantId, id, (this.d.now ?? Date.now)()))) throw notFound('dead letter');
    await auditAdminChange(this.d.audit, admin, {
      action: 'notifications.dead-letter.retry',
      target: `notification:${id}`,
      source,
      siteId: n.siteId,
      details: { alertId: n.alertId, channelId: n.channelId },
    });
    this.d.onRetry();
  }

  private require(user: UserPrincipal): void {
    const decision = authorize(user, user.tenantId, { type: 'notifications.read' });
    if (!decision.allowed) throw forbidden(decision.reason ?? 'not allowed');
  }

  /** Threat: a site manager reading who was told about incidents at sites outside their scope. */
  private visible(user: UserPrincipal, n: OutboxEntry): boolean {
    return authorize(user, n.tenantId, { type: 'notifications.read', siteId: n.siteId }).allowed;
  }

  private async views(tenantId: string, rows: OutboxEntry[], attempts: DeliveryAttempt[]): Promise<DeliveryView[]> {
    const channels = new Map((await this.d.setup.channels(tenantId)).map((c) => [c.id, c]));
    return rows.map((n) => {
      const c = channels.get(n.channelId);
      const label = channelLabel(c);
      return {
        id: n.id,
        alertId: n.alertId,
        siteId: n.siteId,
        event: n.event,
        ruleId: n.ruleId,
        channel: { id: n.channelId, kind: n.channelKind, ...(label ? { label } : {}) },
        status: n.status,
        queuedAt: n.queuedAt,
        ...(n.status === 'pending' ? { nextAttemptAt: n.nextAttemptAt } : {}),
        ...(n.deliveredAt !== undefined ? { deliveredAt: n.deliveredAt } : {}),
        ...(n.deadAt !== undefined ? { deadAt: n.deadAt } : {}),
        ...(n.lastError !== undefined ? { lastError: n.lastError } : {}),
        attempts: attempts.filter((a) => a.notificationId === n.id).map(({ notificationId: _n, ...a }) => a),
      };
    });
  }
}
