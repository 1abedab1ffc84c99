import { ALERT_TYPES } from '../schema/alert-types';

/**
 * The acceptance test of a new site before it goes live, as both `npm run onboard` and the
 * console's onboarding wizard run it: a test card granted at a reader (the site's permissions
 * reached its edge), a door opened and locked remotely and confirmed by the door, a test alarm
 * raised. Each check reads what the site itself reported, never what was merely sent.
 */

/** The checks of the acceptance test, in the order a person does them. */
export const ACCEPTANCE_CHECKS = ['test-card', 'remote-door', 'test-alarm'] as const;
export type AcceptanceCheck = (typeof ACCEPTANCE_CHECKS)[number];

/** The reason door commands of the acceptance test carry (in the audit log). */
export const ONBOARDING_TEST_REASON = 'onboarding acceptance test';

/** The member holding the test card of a site's onboarding (deactivated once the site is live). */
export const onboardingTestMemberId = (siteId: string): string => `onboarding-test-${siteId}`.slice(0, 64);

/** The member body (`PUT /api/v1/members/{id}`) of the test card: the given zones at all times, or nothing once the test is over. */
export function onboardingTestMember(a: { card: string; zoneIds: string[]; siteId?: string; active?: boolean }) {
  const active = a.active ?? true;
  return {
    name: 'Onboarding test card',
    active,
    credentials: active ? [{ type: 'card' as const, value: a.card }] : [],
    grants: active ? [{ zoneIds: a.zoneIds, ...(a.siteId ? { siteIds: [a.siteId] } : {}) }] : [],
    secureMode: false,
    offlineWhitelist: false,
    // The test runs whatever the site's opening hours.
    afterHours: active,
  };
}

/** An event as the events API lists it. */
export interface ReportedEvent {
  type: string;
  ts: number;
  deviceId?: string;
  data?: Record<string, unknown>;
}

/** The `access.granted` of the test member's card (at `readerId`, when given) since `since`. */
export function testSwipeOf(events: readonly ReportedEvent[], memberId: string, since: number, readerId?: string): ReportedEvent | undefined {
  return events.find(
    (e) =>
      e.type === 'access.granted' &&
      e.ts >= since &&
      e.data?.memberId === memberId &&
      (readerId === undefined || e.deviceId === readerId),
  );
}

/** An alert as the alerts API lists it. */
export interface RaisedAlert {
  id: string;
  type: string;
  raisedAt: number;
}

/**
 * Alerts that say nothing about a person tripping a test alarm: the link and the gateway's own
 * health (system alerts: the site offline until its gateway runs, a cache stale at its start), and
 * people counted after hours (the tester is inside).
 */
const notATestAlarm = (type: string): boolean =>
  type === 'presence.after-hours' || (ALERT_TYPES as Record<string, { category: string } | undefined>)[type]?.category === 'system';

/** The first alarm raised at the site since `since` that a person could have tripped. */
export function testAlarmOf<A extends RaisedAlert>(alerts: readonly A[], since: number): A | undefined {
  return alerts.find((a) => a.raisedAt >= since && !notATestAlarm(a.type));
}

/** A door of the site that executed both an `unlock` and a `lock` since `since`, and who sent them. */
export interface RemoteDoorTest {
  doorId: string;
  by?: string;
}

const doorAction = (e: ReportedEvent): { doorId?: string; action?: string; by?: string } => {
  const target = e.data?.target as { kind?: string; doorId?: string; action?: string } | undefined;
  if (target?.kind !== 'door') return {};
  const by = typeof e.data?.issuerName === 'string' ? e.data.issuerName : undefined;
  return { doorId: target.doorId ?? e.deviceId, action: target.action, by };
};

/** From `command.executed` events: the first door that was unlocked and then locked remotely since `since`. */
export function remoteDoorTestOf(events: readonly ReportedEvent[], since: number): RemoteDoorTest | undefined {
  const done = [...events].filter((e) => e.type === 'command.executed' && e.ts >= since).sort((a, b) => a.ts - b.ts);
  const unlocked = new Map<string, string | undefined>();
  for (const e of done) {
    const { doorId, action, by } = doorAction(e);
    if (!doorId) continue;
    if (action === 'unlock' || action === 'pulse-unlock') unlocked.set(doorId, by);
    else if (action === 'lock' && unlocked.has(doorId)) return { doorId, by: by ?? unlocked.get(doorId) };
  }
  return undefined;
}

/** Go live only when every check of the acceptance test passed. */
export const readyToGoLive = (passed: Partial<Record<AcceptanceCheck, boolean>>): boolean =>
  ACCEPTANCE_CHECKS.every((c) => passed[c] === true);
