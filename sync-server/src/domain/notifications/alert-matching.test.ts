import { describe, expect, it } from 'vitest';
import type { AlertView } from '@cr/shared';
import type { RuleRecord } from '../../store/notification-records';
import { RULE_LOOKBACK_MS, dueNotifications, notificationId, ruleMatches } from './alert-matching';
import { retryDelay, DEFAULT_RETRY } from './retry-policy';

const T0 = 1_700_000_000_000;
const rule = (over: Partial<RuleRecord> = {}): RuleRecord => ({
  tenantId: 'demo', id: 'r1', channelId: 'ch1', notifyResolved: false, createdBy: 'admin', createdAt: T0, ...over,
});
const alert = (over: Partial<AlertView> = {}): AlertView => ({
  id: 'gangnam.door-1.door.forced.1', siteId: 'gangnam', type: 'door.forced', severity: 'major', raisedAt: T0 + 1000, source: 'edge',
  category: 'security', state: 'open', acks: [], notes: [], assignments: [], resolutions: [], causes: [], causeCleared: false, ...over,
});

describe('rule matching', () => {
  it.each<[string, Partial<RuleRecord>, Partial<AlertView>, boolean]>([
    ['no criteria', {}, {}, true],
    ['its site', { siteIds: ['gangnam'] }, {}, true],
    ['another site', { siteIds: ['hongdae'] }, {}, false],
    ['its category', { categories: ['safety', 'security'] }, {}, true],
    ['another category', { categories: ['facility'] }, {}, false],
    ['severity at the minimum', { minSeverity: 'major' }, {}, true],
    ['severity above the minimum', { minSeverity: 'minor' }, {}, true],
    ['severity below the minimum', { minSeverity: 'critical' }, {}, false],
    ['info below minor', { minSeverity: 'minor' }, { severity: 'info' }, false],
    ['raised within the lookback before the rule', {}, { raisedAt: T0 - RULE_LOOKBACK_MS }, true],
    ['raised before the lookback', {}, { raisedAt: T0 - RULE_LOOKBACK_MS - 1 }, false],
  ])('%s → %s', (_n, r, a, expected) => {
    expect(ruleMatches(rule(r), alert(a))).toBe(expected);
  });
});

describe('due notifications', () => {
  const events = (r: Partial<RuleRecord>, a: Partial<AlertView>, now = T0 + 2000) =>
    dueNotifications(rule(r), 'webhook', alert(a), now).map((d) => [d.notification.event, d.notification.nextAttemptAt, d.after]);

  it('raises an unresolved alert once, with a stable id per (tenant, rule, alert, event)', () => {
    expect(events({}, {})).toEqual([['raised', T0 + 2000, undefined]]);
    expect(events({}, { state: 'acknowledged' })).toEqual([['raised', T0 + 2000, undefined]]);
    const [d] = dueNotifications(rule(), 'webhook', alert(), T0 + 5000);
    expect(d!.notification.id).toBe(notificationId('demo', 'r1', alert().id, 'raised'));
    expect(notificationId('demo', 'r2', alert().id, 'raised')).not.toBe(d!.notification.id);
    expect(JSON.parse(d!.notification.body)).toEqual({ alertId: alert().id, siteId: 'gangnam', type: 'door.forced', severity: 'major', state: 'open', raisedAt: T0 + 1000 });
  });

  it('an escalation-only tier owes the escalation alone, never the raise or the resolution', () => {
    expect(events({ escalateAfterMin: 5, escalationOnly: true, notifyResolved: true }, {})).toEqual([['escalation', T0 + 1000 + 300_000, undefined]]);
    expect(events({ escalateAfterMin: 5, escalationOnly: true }, { state: 'acknowledged' })).toEqual([]);
    expect(events({ escalateAfterMin: 5, escalationOnly: true, notifyResolved: true }, { state: 'resolved' })).toEqual([]);
  });

  it('a device-level alert waits for the outage or burst that may explain it', () => {
    expect(events({}, { type: 'device.offline', category: 'facility', severity: 'minor' })).toEqual([['raised', T0 + 1000 + 30_000, undefined]]);
    expect(events({}, { type: 'device.offline', category: 'facility', severity: 'minor' }, T0 + 60_000)).toEqual([['raised', T0 + 60_000, undefined]]);
  });

  it('schedules an escalation for open alerts only, and a resolution only after a raise', () => {
    expect(events({ escalateAfterMin: 10 }, {})).toEqual([
      ['raised', T0 + 2000, undefined],
      ['escalation', T0 + 1000 + 600_000, undefined],
    ]);
    expect(events({ escalateAfterMin: 10 }, { state: 'acknowledged' })).toEqual([['raised', T0 + 2000, undefined]]);
    expect(events({}, { state: 'resolved' })).toEqual([]);
    expect(events({ notifyResolved: true }, { state: 'resolved' })).toEqual([['resolved', T0 + 2000, 'raised']]);
  });
});

describe('retry delays', () => {
  it('doubles from one second up to five minutes, with at most a quarter added at random', () => {
    const at = (n: number, r: number) => retryDelay(DEFAULT_RETRY, n, () => r);
    expect([1, 2, 3, 4].map((n) => at(n, 0))).toEqual([1000, 2000, 4000, 8000]);
    expect(at(20, 0)).toBe(300_000);
    expect(at(1, 1)).toBe(1250);
    expect(at(40, 0.999)).toBeLessThanOrEqual(375_000);
    // An hour of retries is at least a dozen attempts, never a tight loop.
    let t = 0, n = 0;
    while (t < DEFAULT_RETRY.retryForMs) t += at(++n, 0);
    expect(n).toBeGreaterThan(12);
  });
});
