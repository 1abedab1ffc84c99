import { decideAccess, isSiteOpen, localTime, PERMISSION_TTL_MS, type AccessReason, type Member, type PolicyBody, type Scenario, type ScenarioAction } from '@cr/shared';
import type { ZoneRecord } from '../../store/zones-store';
import { bodyForEdge } from './holiday-dates';

export interface DryRunDecision {
  memberId: string;
  memberName?: string;
  zoneId: string;
  result: 'granted' | 'denied';
  reason: AccessReason;
}

export interface DryRunScenario {
  scenarioId: string;
  fires: boolean;
  why: string;
  actions: ScenarioAction[];
}

export interface DryRunResult {
  siteId: string;
  at: string;
  siteOpen: boolean;
  decisions: DryRunDecision[];
  scenarios: DryRunScenario[];
}

export interface DryRunInput {
  siteId: string;
  /** the moment as the caller wrote it, and as epoch ms */
  at: string;
  ts: number;
  timeZone: string;
  /** the candidate version's body */
  body: PolicyBody;
  /** the site's members as its edge receives them (grants of other sites left out) */
  members: readonly Member[];
  zones: readonly ZoneRecord[];
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const clock = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * What a policy version would do at a site at one moment, pure: each member's decision at each
 * zone by the edge's own decision function (the site open or closed by the body with its holidays
 * expanded as the edge would receive it, a fresh permission cache, the site in normal mode), and
 * for each scenario whether it fires that minute (time triggers) or what would set it off.
 */
export function dryRunPolicy(input: DryRunInput): DryRunResult {
  const edgeBody = bodyForEdge(input.body, input.ts, input.timeZone);
  const siteOpen = isSiteOpen(edgeBody, input.ts, input.timeZone);
  const decisions: DryRunDecision[] = [];
  for (const member of input.members) {
    const credential = member.credentials[0] ?? { type: 'card' as const, value: member.id };
    for (const zone of input.zones) {
      const d = decideAccess({ credential, member, zoneId: zone.id, mode: 'normal', cacheSyncedAt: input.ts, cacheTtlMs: PERMISSION_TTL_MS, now: input.ts, timeZone: input.timeZone, siteOpen });
      decisions.push({ memberId: member.id, ...(member.name ? { memberName: member.name } : {}), zoneId: zone.id, result: d.granted ? 'granted' : 'denied', reason: d.reason });
    }
  }
  const scenarios = (edgeBody.scenarios ?? []).map((s) => explainScenario(s, input.ts, input.timeZone, siteOpen));
  return { siteId: input.siteId, at: input.at, siteOpen, decisions, scenarios };
}

/** Whether a scenario fires at that minute, and why (or what would set it off). */
export function explainScenario(s: Scenario, ts: number, timeZone: string, siteOpen: boolean): DryRunScenario {
  const t = s.trigger;
  const base = { scenarioId: s.id, actions: s.actions };
  if (t.kind !== 'time') return { ...base, fires: false, why: triggerText(s) };
  const local = localTime(ts, timeZone);
  const [h, m] = t.at.split(':').map(Number) as [number, number];
  const now = `${DAY_NAMES[local.weekday]} ${clock(local.minuteOfDay)}`;
  if (local.minuteOfDay !== h * 60 + m) return { ...base, fires: false, why: `runs at ${t.at}${daysText(t.days)}, not at ${now}` };
  if (t.days !== undefined && !t.days.includes(local.weekday)) return { ...base, fires: false, why: `runs at ${t.at}${daysText(t.days)}, not on ${DAY_NAMES[local.weekday]}` };
  for (const c of s.conditions ?? []) {
    if (c.kind === 'site-open' && !siteOpen) return { ...base, fires: false, why: `due at ${now} but only while the site is open, and it is closed` };
    if (c.kind === 'site-closed' && siteOpen) return { ...base, fires: false, why: `due at ${now} but only while the site is closed, and it is open` };
    if (c.kind === 'mode' && c.mode !== 'normal') return { ...base, fires: false, why: `due at ${now} but only in ${c.mode} mode (a dry run assumes normal)` };
  }
  return { ...base, fires: true, why: `due at ${now}${s.conditions?.length ? ', its conditions hold' : ''}` };
}

const daysText = (days: readonly number[] | undefined) => (days ? ` on ${days.map((d) => DAY_NAMES[d]).join(', ')}` : ' every day');

function triggerText(s: Scenario): string {
  const t = s.trigger;
  const when = (() => {
    switch (t.kind) {
      case 'zone-empty':
        return `when zone ${t.zoneId} has been empty for ${t.forMin} min`;
      case 'zone-occupied':
        return `when zone ${t.zoneId} has been occupied for ${t.forMin} min`;
      case 'mode':
        return `when the site enters ${t.mode} mode`;
      case 'alert':
        return `when a ${t.type} alert opens at the site`;
      case 'time':
        return `at ${t.at}${daysText(t.days)}`;
    }
  })();
  const conditions = (s.conditions ?? []).map((c) => (c.kind === 'mode' ? `in ${c.mode} mode` : c.kind === 'site-open' ? 'while the site is open' : 'while the site is closed'));
  return conditions.length ? `${when}, ${conditions.join(' and ')}` : when;
}
