import { describe, expect, it } from 'vitest';
import { decideWithBookings, type BookingHold } from './decide-bookings';
import type { AccessInput } from './decide';
import { PERMISSION_TTL_MS, type Member } from './permissions';
import type { BookingFact } from '../booking/booking-state';

const MIN = 60_000;
// 2026-11-18 is a Wednesday; 10:00 in Seoul.
const START = Date.parse('2026-11-18T10:00:00+09:00');
const officeHours = { days: [1, 2, 3, 4, 5], start: '06:00', end: '07:00' };

const member = (over: Partial<Member> = {}): Member => ({
  id: 'm1',
  active: true,
  credentials: [{ type: 'card', value: 'card-0001' }],
  grants: [{ zoneIds: ['lobby'] }],
  secureMode: false,
  offlineWhitelist: false,
  ...over,
});

const input = (over: Partial<AccessInput> = {}): AccessInput => {
  const now = over.now ?? START + 2 * MIN;
  return {
    credential: { type: 'card', value: 'card-0001' },
    member: member(),
    zoneId: 'meeting',
    mode: 'normal',
    cacheSyncedAt: now - MIN,
    cacheTtlMs: PERMISSION_TTL_MS,
    now,
    timeZone: 'Asia/Seoul',
    ...over,
  };
};

const booking: BookingHold['booking'] = {
  id: '0b0e2b7e-4c1b-4a57-9f35-1d2f3a4b5c6d',
  zoneId: 'meeting',
  memberId: 'm1',
  start: START,
  end: START + 60 * MIN,
  state: 'booked',
  graceMs: 15 * MIN,
  earlyMs: 5 * MIN,
};
const hold = (over: Partial<BookingHold['booking']> = {}, facts: BookingFact[] = []): BookingHold => ({ booking: { ...booking, ...over }, facts });
const fact = (kind: BookingFact['kind'], at: number, source: BookingFact['source']): BookingFact => ({ bookingId: booking.id, kind, at, source });

describe('decideWithBookings', () => {
  it('grants with reason booking a member without a grant on the zone, during the booking', () => {
    expect(decideWithBookings(input(), [hold()])).toEqual({ granted: true, reason: 'booking', memberId: 'm1', bookingId: booking.id });
  });

  it('grants a member whose grant on the zone is outside its schedule', () => {
    const scheduled = member({ grants: [{ zoneIds: ['meeting'], schedule: [officeHours] }] });
    expect(decideWithBookings(input({ member: scheduled }), []).reason).toBe('outside-schedule');
    expect(decideWithBookings(input({ member: scheduled }), [hold()])).toMatchObject({ granted: true, reason: 'booking' });
  });

  it('keeps the ordinary grant when the member has one', () => {
    const granted = member({ grants: [{ zoneIds: ['meeting'] }] });
    expect(decideWithBookings(input({ member: granted }), [hold()])).toEqual({ granted: true, reason: 'granted', memberId: 'm1' });
  });

  it.each<[string, Partial<AccessInput>, string]>([
    ['lockdown', { mode: 'lockdown' }, 'site-mode'],
    ['secure mode', { mode: 'secure' }, 'site-mode'],
    ['an unknown credential', { member: undefined }, 'unknown-credential'],
    ['a malformed credential', { credential: { type: 'card', value: '' } }, 'malformed'],
    ['an inactive member', { member: member({ active: false }) }, 'expired'],
    ['an expired member', { member: member({ validUntil: START }) }, 'expired'],
    ['a grant on the zone past its validity', { member: member({ grants: [{ zoneIds: ['meeting'], validUntil: START - 1 }] }) }, 'expired'],
    ['a reader without a known door', { zoneId: undefined }, 'unknown-door'],
    ['a stale cache', { cacheSyncedAt: START - PERMISSION_TTL_MS - 10 * MIN }, 'cache-stale'],
  ])('never overrides %s', (_name, over, reason) => {
    expect(decideWithBookings(input(over), [hold()])).toMatchObject({ granted: false, reason });
  });

  it('a stale cache with offline whitelist still opens by the booking (the member is trusted offline)', () => {
    const whitelisted = member({ offlineWhitelist: true });
    expect(decideWithBookings(input({ member: whitelisted, cacheSyncedAt: 0 }), [hold()])).toMatchObject({ granted: true, reason: 'booking' });
  });

  it('opens from start − early until the end, and not a minute earlier', () => {
    expect(decideWithBookings(input({ now: START - 6 * MIN }), [hold()])).toMatchObject({ granted: false, reason: 'no-grant' });
    expect(decideWithBookings(input({ now: START - 5 * MIN }), [hold()])).toMatchObject({ granted: true, reason: 'booking' });
    const checkedIn = hold({}, [fact('check-in', START, 'grant')]);
    expect(decideWithBookings(input({ now: START + 59 * MIN }), [checkedIn])).toMatchObject({ granted: true, reason: 'booking' });
    expect(decideWithBookings(input({ now: START + 60 * MIN }), [checkedIn])).toMatchObject({ granted: false, reason: 'no-grant' });
  });

  it('takes the early entry from the booking', () => {
    expect(decideWithBookings(input({ now: START - 20 * MIN }), [hold({ earlyMs: 30 * MIN })])).toMatchObject({ granted: true, reason: 'booking' });
    expect(decideWithBookings(input({ now: START - MIN }), [hold({ earlyMs: 0 })])).toMatchObject({ granted: false, reason: 'no-grant' });
  });

  it('does not open after a release: no-show deadline, empty room, cancellation', () => {
    expect(decideWithBookings(input({ now: START + 15 * MIN }), [hold()])).toMatchObject({ granted: false, reason: 'no-grant' });
    const emptied = hold({}, [fact('check-in', START, 'grant'), fact('release', START + 20 * MIN, 'empty')]);
    expect(decideWithBookings(input({ now: START + 19 * MIN }), [emptied])).toMatchObject({ granted: true });
    expect(decideWithBookings(input({ now: START + 21 * MIN }), [emptied])).toMatchObject({ granted: false, reason: 'no-grant' });
    expect(decideWithBookings(input(), [hold({ state: 'cancelled' })])).toMatchObject({ granted: false, reason: 'no-grant' });
    expect(decideWithBookings(input(), [hold({ state: 'released', releasedAt: START + MIN })])).toMatchObject({ granted: false });
  });

  it("ignores a booking of another member or another zone", () => {
    expect(decideWithBookings(input(), [hold({ memberId: 'm2' })])).toMatchObject({ granted: false, reason: 'no-grant' });
    expect(decideWithBookings(input(), [hold({ zoneId: 'lounge' })])).toMatchObject({ granted: false, reason: 'no-grant' });
  });

  it('opens by any of several bookings that opens now', () => {
    const earlier = hold({ id: '1b0e2b7e-4c1b-4a57-9f35-1d2f3a4b5c6d', start: START - 3 * 60 * MIN, end: START - 2 * 60 * MIN });
    expect(decideWithBookings(input(), [earlier, hold()])).toMatchObject({ granted: true, bookingId: booking.id });
  });
});
