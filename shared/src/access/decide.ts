import type { AccessReason, Credential } from '../protocol/access';
import type { SiteMode } from '../protocol/site-mode';
import { localTime, parseClock } from '../time';
import type { Grant, Member, WeeklyWindow } from './permissions';

/** Everything the decision needs; gathered by the edge from memory, never from the network. */
export interface AccessInput {
  credential: Credential;
  /** the member holding this credential, if the cache knows one */
  member: Member | undefined;
  /** zone of the reader's door; undefined when the reader is not bound to a known door */
  zoneId: string | undefined;
  mode: SiteMode;
  /** when the permission cache last synced with the cloud (epoch ms), undefined if never */
  cacheSyncedAt: number | undefined;
  cacheTtlMs: number;
  now: number;
  timeZone: string;
  /** whether the site's policy has it open now (CONTRACT.md §9); absent = open (no policy) */
  siteOpen?: boolean;
}

export interface AccessDecision {
  granted: boolean;
  reason: AccessReason;
  memberId?: string;
}

function within(from: number | undefined, until: number | undefined, now: number): boolean {
  return (from === undefined || now >= from) && (until === undefined || now < until);
}

/** True when local `weekday`/`minute` fall in the window; windows with end < start run past midnight. */
export function inWindow(window: WeeklyWindow, weekday: number, minute: number): boolean {
  const start = parseClock(window.start) ?? 0;
  const end = parseClock(window.end) ?? 0;
  if (start < end) return window.days.includes(weekday) && minute >= start && minute < end;
  const yesterday = (weekday + 6) % 7;
  return (window.days.includes(weekday) && minute >= start) || (window.days.includes(yesterday) && minute < end);
}

function grantOpensNow(grant: Grant, weekday: number, minute: number): boolean {
  if (!grant.schedule || grant.schedule.length === 0) return true;
  return grant.schedule.some((w) => inWindow(w, weekday, minute));
}

/** Grants of the member covering the zone: the last check of the decision. */
function decideGrants(member: Member, zoneId: string, now: number, timeZone: string): AccessReason {
  const forZone = member.grants.filter((g) => g.zoneIds.includes(zoneId));
  if (forZone.length === 0) return 'no-grant';
  const current = forZone.filter((g) => within(g.validFrom, g.validUntil, now));
  if (current.length === 0) return 'expired';
  const { weekday, minuteOfDay } = localTime(now, timeZone);
  return current.some((g) => grantOpensNow(g, weekday, minuteOfDay)) ? 'granted' : 'outside-schedule';
}

/**
 * The access decision, pure. Order of checks: a malformed credential, then the site mode
 * (emergency-unlock: doors already stand open; lockdown: no credential opens), then who the
 * credential belongs to, the cache freshness (stale → offline whitelist only), secure mode,
 * the member's validity, the site's opening hours (closed: after-hours members only), the door's
 * zone, and finally the grants and their schedules.
 */
export function decideAccess(input: AccessInput): AccessDecision {
  const { credential, member, mode, now } = input;
  if (!credential.value || credential.value.length > 256) return { granted: false, reason: 'malformed' };
  if (mode === 'emergency-unlock') return { granted: true, reason: 'site-mode', memberId: member?.id };
  if (mode === 'lockdown') return { granted: false, reason: 'site-mode', memberId: member?.id };
  if (!member) return { granted: false, reason: 'unknown-credential' };
  const memberId = member.id;
  const stale = input.cacheSyncedAt === undefined || now - input.cacheSyncedAt > input.cacheTtlMs;
  if (stale && !member.offlineWhitelist) return { granted: false, reason: 'cache-stale', memberId };
  if (mode === 'secure' && !member.secureMode) return { granted: false, reason: 'site-mode', memberId };
  if (!member.active || !within(member.validFrom, member.validUntil, now)) return { granted: false, reason: 'expired', memberId };
  // Closed by the policy: only members allowed in after hours go on to their grants.
  if (input.siteOpen === false && member.afterHours !== true) return { granted: false, reason: 'site-closed', memberId };
  if (input.zoneId === undefined) return { granted: false, reason: 'unknown-door', memberId };
  const reason = decideGrants(member, input.zoneId, now, input.timeZone);
  return { granted: reason === 'granted', reason, memberId };
}
