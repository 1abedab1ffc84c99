import { describe, expect, it } from 'vitest';
import { decideAccess, type AccessInput } from './decide';
import { decideWithBookings } from './decide-bookings';
import { PERMISSION_TTL_MS, type Member } from './permissions';

const NOW = Date.parse('2026-11-18T23:00:00+09:00');

const member = (over: Partial<Member> = {}): Member => ({
  id: 'm1',
  active: true,
  credentials: [{ type: 'card', value: 'card-0001' }],
  grants: [{ zoneIds: ['lobby'] }],
  secureMode: false,
  offlineWhitelist: false,
  ...over,
});

const input = (over: Partial<AccessInput> = {}): AccessInput => ({
  credential: { type: 'card', value: 'card-0001' },
  member: member(),
  zoneId: 'lobby',
  mode: 'normal',
  cacheSyncedAt: NOW - 60_000,
  cacheTtlMs: PERMISSION_TTL_MS,
  now: NOW,
  timeZone: 'Asia/Seoul',
  siteOpen: false,
  ...over,
});

describe('decideAccess while the site policy has the site closed', () => {
  it.each<[string, Partial<AccessInput>, boolean, string]>([
    ['a member without afterHours is denied site-closed', {}, false, 'site-closed'],
    ['afterHours false is the same as absent', { member: member({ afterHours: false }) }, false, 'site-closed'],
    ['a member with afterHours goes on to the grants', { member: member({ afterHours: true }) }, true, 'granted'],
    ['an afterHours member still needs a grant on the zone', { member: member({ afterHours: true, grants: [] }) }, false, 'no-grant'],
    ['an open site decides as before', { siteOpen: true }, true, 'granted'],
    ['no policy (siteOpen absent) is always open', { siteOpen: undefined }, true, 'granted'],
    ['emergency-unlock keeps its precedence', { mode: 'emergency-unlock' }, true, 'site-mode'],
    ['lockdown keeps its precedence', { mode: 'lockdown', member: member({ afterHours: true }) }, false, 'site-mode'],
    ['secure mode is checked before opening hours', { mode: 'secure' }, false, 'site-mode'],
    ['an unknown credential stays unknown', { member: undefined }, false, 'unknown-credential'],
    ['an expired member stays expired', { member: member({ active: false }) }, false, 'expired'],
    ['a stale cache is checked first', { cacheSyncedAt: NOW - PERMISSION_TTL_MS - 1 }, false, 'cache-stale'],
    ['site-closed comes before an unknown door', { zoneId: undefined }, false, 'site-closed'],
    ['site-closed comes before the grants', { member: member({ grants: [] }) }, false, 'site-closed'],
  ])('%s', (_name, over, granted, reason) => {
    expect(decideAccess(input(over))).toMatchObject({ granted, reason });
  });

  it('a booking does not open a closed site', () => {
    const booking = { id: 'b1', zoneId: 'lobby', memberId: 'm1', start: NOW - 60_000, end: NOW + 3_600_000, state: 'booked' as const, graceMs: 900_000, earlyMs: 0 };
    const decision = decideWithBookings(input({ member: member({ grants: [] }) }), [{ booking, facts: [] }]);
    expect(decision).toMatchObject({ granted: false, reason: 'site-closed' });
  });
});
