import { describe, expect, it } from 'vitest';
import { decideAccess, inWindow, type AccessInput } from './decide';
import { PERMISSION_TTL_MS, type Member } from './permissions';

// 2026-11-18 is a Wednesday. 10:00 in Seoul (UTC+9, no DST) is 01:00 UTC.
const seoul = (iso: string): number => Date.parse(`${iso}+09:00`);
const WED_10 = seoul('2026-11-18T10:00:00');

const member = (over: Partial<Member> = {}): Member => ({
  id: 'm1',
  active: true,
  credentials: [{ type: 'card', value: 'card-0001' }],
  grants: [{ zoneIds: ['lobby'] }],
  secureMode: false,
  offlineWhitelist: false,
  ...over,
});

/** Defaults: a fresh cache synced a minute before `now`. */
const input = (over: Partial<AccessInput> = {}): AccessInput => {
  const now = over.now ?? WED_10;
  return {
    credential: { type: 'card', value: 'card-0001' },
    member: member(),
    zoneId: 'lobby',
    mode: 'normal',
    cacheSyncedAt: now - 60_000,
    cacheTtlMs: PERMISSION_TTL_MS,
    now,
    timeZone: 'Asia/Seoul',
    ...over,
  };
};

const officeHours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };
const nightShift = { days: [3], start: '22:00', end: '06:00' };

describe('decideAccess', () => {
  it.each<[string, Partial<AccessInput>, boolean, string]>([
    ['a granted member', {}, true, 'granted'],
    ['an empty credential', { credential: { type: 'card', value: '' } }, false, 'malformed'],
    ['an unknown credential', { member: undefined }, false, 'unknown-credential'],
    ['no grant on the zone', { zoneId: 'server-room' }, false, 'no-grant'],
    ['a reader with no door', { zoneId: undefined }, false, 'unknown-door'],
    ['lockdown', { mode: 'lockdown' }, false, 'site-mode'],
    ['lockdown even for secure members', { mode: 'lockdown', member: member({ secureMode: true }) }, false, 'site-mode'],
    ['emergency-unlock opens for anyone', { mode: 'emergency-unlock', member: undefined }, true, 'site-mode'],
    ['secure mode without secure flag', { mode: 'secure' }, false, 'site-mode'],
    ['secure mode with secure flag', { mode: 'secure', member: member({ secureMode: true }) }, true, 'granted'],
    ['an inactive member', { member: member({ active: false }) }, false, 'expired'],
    ['a member not yet valid', { member: member({ validFrom: WED_10 + 1 }) }, false, 'expired'],
    ['a member past validity', { member: member({ validUntil: WED_10 }) }, false, 'expired'],
    ['a grant past validity', { member: member({ grants: [{ zoneIds: ['lobby'], validUntil: WED_10 - 1 }] }) }, false, 'expired'],
    ['a grant not yet valid', { member: member({ grants: [{ zoneIds: ['lobby'], validFrom: WED_10 + 1000 }] }) }, false, 'expired'],
    ['inside office hours', { member: member({ grants: [{ zoneIds: ['lobby'], schedule: [officeHours] }] }) }, true, 'granted'],
    [
      'outside office hours',
      { now: seoul('2026-11-18T18:00:00'), member: member({ grants: [{ zoneIds: ['lobby'], schedule: [officeHours] }] }) },
      false,
      'outside-schedule',
    ],
    [
      'on a weekend',
      { now: seoul('2026-11-21T10:00:00'), member: member({ grants: [{ zoneIds: ['lobby'], schedule: [officeHours] }] }) },
      false,
      'outside-schedule',
    ],
    ['never synced cache', { cacheSyncedAt: undefined }, false, 'cache-stale'],
    ['stale cache', { cacheSyncedAt: WED_10 - PERMISSION_TTL_MS - 1 }, false, 'cache-stale'],
    ['cache exactly at TTL is fresh', { cacheSyncedAt: WED_10 - PERMISSION_TTL_MS }, true, 'granted'],
    ['stale cache, whitelisted', { cacheSyncedAt: 0, member: member({ offlineWhitelist: true }) }, true, 'granted'],
    ['stale cache, unknown credential', { cacheSyncedAt: 0, member: undefined }, false, 'unknown-credential'],
  ])('%s', (_name, over, granted, reason) => {
    const d = decideAccess(input(over));
    expect(d).toMatchObject({ granted, reason });
  });

  it('names the member on a decision about a known credential', () => {
    expect(decideAccess(input({ zoneId: 'x' })).memberId).toBe('m1');
    expect(decideAccess(input({ member: undefined })).memberId).toBeUndefined();
  });

  it('uses any grant that opens the zone now', () => {
    const m = member({
      grants: [
        { zoneIds: ['lobby'], schedule: [{ days: [0], start: '09:00', end: '10:00' }] },
        { zoneIds: ['lobby', 'room-1'], schedule: [officeHours] },
      ],
    });
    expect(decideAccess(input({ member: m })).granted).toBe(true);
  });

  it('evaluates schedules in the site time zone, not UTC', () => {
    const m = member({ grants: [{ zoneIds: ['lobby'], schedule: [officeHours] }] });
    // 09:30 Seoul is 00:30 UTC: open in Seoul, closed if evaluated in UTC.
    const now = seoul('2026-11-18T09:30:00');
    expect(decideAccess(input({ member: m, now })).granted).toBe(true);
    expect(decideAccess(input({ member: m, now, timeZone: 'UTC' })).reason).toBe('outside-schedule');
  });
});

describe('weekly windows', () => {
  // Wednesday = 3, Thursday = 4.
  it.each<[string, number, number, boolean]>([
    ['start minute is inside', 3, 9 * 60, true],
    ['one minute before start', 3, 9 * 60 - 1, false],
    ['end minute is outside', 3, 18 * 60, false],
    ['last minute before end', 3, 18 * 60 - 1, true],
  ])('office hours: %s', (_n, day, minute, expected) => {
    expect(inWindow(officeHours, day, minute)).toBe(expected);
  });

  it.each<[string, number, number, boolean]>([
    ['Wednesday 22:00 (start)', 3, 22 * 60, true],
    ['Wednesday 23:59', 3, 23 * 60 + 59, true],
    ['Thursday 00:00 (after midnight)', 4, 0, true],
    ['Thursday 05:59', 4, 5 * 60 + 59, true],
    ['Thursday 06:00 (end)', 4, 6 * 60, false],
    ['Wednesday 05:00 (belongs to Tuesday night)', 3, 5 * 60, false],
    ['Thursday 22:00 (not a start day)', 4, 22 * 60, false],
    ['Wednesday 21:59', 3, 21 * 60 + 59, false],
  ])('midnight-crossing window: %s', (_n, day, minute, expected) => {
    expect(inWindow(nightShift, day, minute)).toBe(expected);
  });

  it('a Saturday night window crosses into Sunday', () => {
    const w = { days: [6], start: '23:00', end: '01:00' };
    expect(inWindow(w, 0, 30)).toBe(true);
    expect(inWindow(w, 0, 60)).toBe(false);
  });

  it('00:00–24:00 covers the whole day', () => {
    const w = { days: [2], start: '00:00', end: '24:00' };
    expect(inWindow(w, 2, 0)).toBe(true);
    expect(inWindow(w, 2, 1439)).toBe(true);
    expect(inWindow(w, 3, 0)).toBe(false);
  });

  it('a member with a night window gets in after midnight in Seoul', () => {
    const m = member({ grants: [{ zoneIds: ['lobby'], schedule: [nightShift] }] });
    expect(decideAccess(input({ member: m, now: seoul('2026-11-19T02:00:00') })).granted).toBe(true);
    expect(decideAccess(input({ member: m, now: seoul('2026-11-19T07:00:00') })).reason).toBe('outside-schedule');
  });
});
