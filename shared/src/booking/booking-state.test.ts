import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bookingOpens, resolveBooking, type BookingFact, type EdgeBooking } from './booking-state';

const MIN = 60_000;
const start = 1_800_000_000_000;
const booking: EdgeBooking = {
  id: '0b0e2b7e-4c1b-4a57-9f35-1d2f3a4b5c6d',
  resourceId: 'meeting-room',
  zoneId: 'meeting',
  memberId: 'm1',
  start,
  end: start + 60 * MIN,
  state: 'booked',
  graceMs: 15 * MIN,
  earlyMs: 5 * MIN,
};
const fact = (kind: BookingFact['kind'], at: number, source: BookingFact['source']): BookingFact => ({ bookingId: booking.id, kind, at, source });

describe('resolveBooking', () => {
  it('is booked until the grace ends, then released as a no-show', () => {
    expect(resolveBooking(booking, [], start + 14 * MIN).state).toBe('booked');
    expect(resolveBooking(booking, [], start + 15 * MIN)).toEqual({ state: 'released', releasedAt: start + 15 * MIN });
  });

  it('checks in by the earliest check-in inside the window and completes at the end', () => {
    const facts = [fact('check-in', start + 9 * MIN, 'motion'), fact('check-in', start - 2 * MIN, 'grant')];
    expect(resolveBooking(booking, facts, start + 30 * MIN)).toEqual({ state: 'checked-in', checkedInAt: start - 2 * MIN });
    expect(resolveBooking(booking, facts, start + 60 * MIN).state).toBe('completed');
  });

  it('ignores a check-in before the early window or after the grace', () => {
    const facts = [fact('check-in', start - 6 * MIN, 'grant'), fact('check-in', start + 16 * MIN, 'grant')];
    expect(resolveBooking(booking, facts, start + 20 * MIN).state).toBe('released');
  });

  it('a no-show release stamped before the deadline by a fast clock releases only at the deadline', () => {
    const facts = [fact('release', start + 5 * MIN, 'no-show')];
    expect(resolveBooking(booking, facts, start + 10 * MIN).state).toBe('booked');
    expect(resolveBooking(booking, facts, start + 15 * MIN).state).toBe('released');
  });

  it('a check-in observed offline wins over a no-show release the other side recorded', () => {
    const released = { ...booking, state: 'released' as const, releasedAt: start + 15 * MIN };
    expect(resolveBooking(released, [fact('check-in', start + 3 * MIN, 'grant')], start + 20 * MIN).state).toBe('checked-in');
  });

  it('an empty room after check-in is released from the release fact on', () => {
    const facts = [fact('check-in', start, 'grant'), fact('release', start + 30 * MIN, 'empty')];
    expect(resolveBooking(booking, facts, start + 29 * MIN).state).toBe('checked-in');
    expect(resolveBooking(booking, facts, start + 31 * MIN)).toEqual({ state: 'released', checkedInAt: start, releasedAt: start + 30 * MIN });
  });

  it('cancelled is final', () => {
    expect(resolveBooking({ ...booking, state: 'cancelled' }, [fact('check-in', start, 'grant')], start + MIN).state).toBe('cancelled');
  });

  it('gives the same answer whatever order the facts arrive in (fixed seed)', () => {
    const factArb = fc.record({
      kind: fc.constantFrom('check-in' as const, 'release' as const),
      at: fc.integer({ min: start - 10 * MIN, max: start + 70 * MIN }),
      source: fc.constantFrom('grant' as const, 'motion' as const, 'no-show' as const, 'empty' as const, 'operator' as const),
    });
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 8 }), fc.integer({ min: start - 10 * MIN, max: start + 80 * MIN }), fc.integer(), (raw, now, seed) => {
        const facts = raw.map((f) => ({ ...f, bookingId: booking.id }));
        const shuffled = [...facts].sort((a, b) => ((a.at * 31 + seed) % 7) - ((b.at * 31 + seed) % 7));
        expect(resolveBooking(booking, shuffled, now)).toEqual(resolveBooking(booking, facts, now));
        // a booking never opens its zone outside [start − early, end)
        if (now < start - 5 * MIN || now >= start + 60 * MIN) expect(bookingOpens(booking, facts, now)).toBe(false);
      }),
      { seed: 815, numRuns: 500 },
    );
  });
});

describe('bookingOpens', () => {
  it('opens from the early window until the deadline without check-in, and until the end with one', () => {
    expect(bookingOpens(booking, [], start - 6 * MIN)).toBe(false);
    expect(bookingOpens(booking, [], start - 5 * MIN)).toBe(true);
    expect(bookingOpens(booking, [], start + 15 * MIN)).toBe(false);
    expect(bookingOpens(booking, [fact('check-in', start + MIN, 'grant')], start + 59 * MIN)).toBe(true);
    expect(bookingOpens(booking, [fact('check-in', start + MIN, 'grant')], start + 60 * MIN)).toBe(false);
  });
});
