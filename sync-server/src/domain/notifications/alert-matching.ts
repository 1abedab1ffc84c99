import { createHash } from 'node:crypto';
import { SEVERITY_RANK, type AlertView } from '@cr/shared';
import type { NewNotification, NotificationEvent, RuleRecord } from '../../store/notification-records';
import { DEVICE_LEVEL_TYPES, GROUP_WAIT_MS } from './quiet';

/**
 * A rule notifies alerts raised no earlier than this long before it was created: a new rule never
 * floods a channel with the backlog of old alerts, yet an alert raised at the moment the rule was
 * saved (an edge clock a little behind the cloud's) is not missed.
 */
export const RULE_LOOKBACK_MS = 60_000;

/** The webhook body of CONTRACT §7, exactly these fields in this order. */
export function alertBody(a: AlertView, state = a.state): string {
  return JSON.stringify({ alertId: a.id, siteId: a.siteId, type: a.type, severity: a.severity, state, raisedAt: a.raisedAt });
}

/** Whether the rule covers the alert's site, category and severity (absent criteria match all). */
export function ruleMatches(rule: RuleRecord, a: AlertView): boolean {
  if (rule.siteIds && !rule.siteIds.includes(a.siteId)) return false;
  if (rule.categories && !rule.categories.includes(a.category)) return false;
  if (rule.minSeverity && SEVERITY_RANK[a.severity] > SEVERITY_RANK[rule.minSeverity]) return false;
  return a.raisedAt >= rule.createdAt - RULE_LOOKBACK_MS;
}

/** A notification that is due (or scheduled) for an alert, and whether it only follows an earlier `raised` one. */
export interface DueNotification {
  notification: NewNotification;
  after?: NotificationEvent;
}

/**
 * The same id for the same (tenant, rule, alert, event) on every instance and every pass, so the
 * outbox's unique key and its primary key agree; it is also the Idempotency-Key receivers see.
 */
export function notificationId(tenantId: string, ruleId: string, alertId: string, event: NotificationEvent): string {
  return createHash('sha256').update(`${tenantId}\0${ruleId}\0${alertId}\0${event}`).digest('hex').slice(0, 32);
}

/**
 * What a rule owes a channel for one alert now: `raised` while it is unresolved; `escalation`
 * scheduled for `escalateAfterMin` after the raise (sent only if the alert is then still open);
 * `resolved` once resolved, only when the raise was notified. An escalation-only rule (a next tier)
 * owes the escalation alone.
 */
export function dueNotifications(rule: RuleRecord, kind: NewNotification['channelKind'], a: AlertView, now: number): DueNotification[] {
  if (!ruleMatches(rule, a)) return [];
  const make = (event: NotificationEvent, body: string, nextAttemptAt = now): NewNotification => ({
    id: notificationId(rule.tenantId, rule.id, a.id, event),
    tenantId: rule.tenantId,
    siteId: a.siteId,
    alertId: a.id,
    ruleId: rule.id,
    channelId: rule.channelId,
    channelKind: kind,
    event,
    body,
    queuedAt: now,
    nextAttemptAt,
  });
  if (a.state === 'resolved')
    return rule.notifyResolved && !rule.escalationOnly ? [{ notification: make('resolved', alertBody(a)), after: 'raised' }] : [];
  // A device-level alert waits a moment: the outage or burst it belongs to may explain it (quiet.ts).
  const raisedAt = DEVICE_LEVEL_TYPES.has(a.type) ? Math.max(now, a.raisedAt + GROUP_WAIT_MS) : now;
  const out: DueNotification[] = rule.escalationOnly ? [] : [{ notification: make('raised', alertBody(a), raisedAt) }];
  if (rule.escalateAfterMin !== undefined && a.state === 'open') {
    const at = Math.max(now, a.raisedAt + rule.escalateAfterMin * 60_000);
    out.push({ notification: make('escalation', alertBody(a, 'open'), at) });
  }
  return out;
}
