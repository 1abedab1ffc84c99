import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTime } from '@cr/shared';
import type { Booking } from './booking-api';
import { bookingRequest, blankForm, formOf } from './booking-form';
import { nextFreeSlot, weeklyRule } from './booking-plan';
import { addDays, clockOf, localToEpoch, siteDay, spanOf } from './booking-time';
import { blockBox, timelineWindow } from './timeline-layout';

const SEOUL = 'Asia/Seoul';
const HOUR = 3_600_000;
const booking = (over: Partial<Booking> & Pick<Booking, 'id' | 'start' | 'end'>): Booking => ({ siteId: 'gangnam', resourceId: 'meeting-room', memberId: 'card-0001', state: 'booked', ...over });

describe('site wall clock ↔ epoch ms', () => {
  it('reads 10:00 in Seoul as 01:00 UTC, whatever zone the console runs in', () => {
    expect(localToEpoch('2026-03-02', 10 * 60, SEOUL)).toBe(Date.UTC(2026, 2, 2, 1, 0));
    expect(spanOf('2026-03-02', '10:00', '11:00', SEOUL)).toEqual({ start: Date.UTC(2026, 2, 2, 1), end: Date.UTC(2026, 2, 2, 2) });
    expect(spanOf('2026-03-02', '11:00', '10:00', SEOUL)).toBe('end-before-start');
    expect(spanOf('2026-03-02', '9am', '10:00', SEOUL)).toBe('bad-time');
    expect(localToEpoch('2026-02-30', 0, SEOUL)).toBeUndefined();
  });

  it('round-trips local → epoch → local for every minute of every day in Seoul (fixed seed)', () => {
    const day = fc.integer({ min: 0, max: 365 * 15 }).map((n) => addDays('2020-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 1439 }), (date, minute) => {
        const ts = localToEpoch(date, minute, SEOUL)!;
        const back = localTime(ts, SEOUL);
        return back.date === date && back.minuteOfDay === minute && ts === Date.UTC(...(date.split('-').map(Number) as [number, number, number]).map((v, i) => (i === 1 ? v - 1 : v)) as [number, number, number]) + minute * 60_000 - 9 * HOUR;
      }),
      { seed: 15, numRuns: 500 },
    );
  });

  it('round-trips across a zone that changes its clocks (New York, spring and autumn)', () => {
    fc.assert(
      fc.property(fc.constantFrom('2026-03-08', '2026-11-01', '2026-07-01'), fc.integer({ min: 0, max: 1439 }), (date, minute) => {
        // 02:00–02:59 does not exist on the spring day: those minutes are skipped, not asked.
        fc.pre(!(date === '2026-03-08' && minute >= 120 && minute < 180));
        const back = localTime(localToEpoch(date, minute, 'America/New_York')!, 'America/New_York');
        return back.date === date && back.minuteOfDay === minute;
      }),
      { seed: 15, numRuns: 300 },
    );
  });

  it('spans a site day from local midnight to the next', () => {
    expect(siteDay('2026-03-02', SEOUL)).toEqual({ from: Date.UTC(2026, 2, 1, 15), to: Date.UTC(2026, 2, 2, 15) });
    expect(clockOf(1440)).toBe('24:00');
  });
});

describe('the booking form', () => {
  it('sends the site-local times as epoch ms and a weekly rule for a repeat', () => {
    const form = { ...blankForm('meeting-room', '2026-03-02', 10 * 60), memberId: ' card-0007 ' };
    expect(bookingRequest(form, SEOUL)).toEqual({ body: { resourceId: 'meeting-room', memberId: 'card-0007', start: Date.UTC(2026, 2, 2, 1), end: Date.UTC(2026, 2, 2, 2) } });
    const weekly = bookingRequest({ ...form, repeat: true, weekdays: [3, 5], weeks: 4, skipHolidays: true }, SEOUL);
    // 2026-03-02 is a Monday: Monday is always part of the series.
    expect(weekly).toMatchObject({ body: { recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=12', skipHolidays: true } } });
    expect(bookingRequest({ ...form, memberId: '' }, SEOUL)).toEqual({ problem: 'no-member' });
  });

  it('prefills a move from the booking, an end at midnight reading 24:00', () => {
    const b = booking({ id: 'b1', start: Date.UTC(2026, 2, 2, 13), end: Date.UTC(2026, 2, 2, 15) });
    expect(formOf(b, SEOUL)).toMatchObject({ date: '2026-03-02', startClock: '22:00', endClock: '24:00', memberId: 'card-0001' });
  });

  it('orders weekdays Monday first and counts weeks × days', () => {
    expect(weeklyRule([0, 6], 2, 6)).toBe('FREQ=WEEKLY;BYDAY=SA,SU;COUNT=4');
    expect(weeklyRule([], 100, 2)).toBe('FREQ=WEEKLY;BYDAY=TU;COUNT=52');
  });
});

describe('slots and layout', () => {
  const at = (h: number) => Date.UTC(2026, 2, 2, h - 9);
  const taken = [booking({ id: 'a', start: at(10), end: at(11) }), booking({ id: 'b', start: at(11), end: at(12) }), booking({ id: 'c', start: at(12), end: at(13), state: 'released' })];

  it('offers the first free slot of the same length, skipping back-to-back bookings', () => {
    expect(nextFreeSlot(taken, 'meeting-room', at(10), HOUR, at(24))).toBe(at(12));
    expect(nextFreeSlot(taken, 'meeting-room', at(10), HOUR, at(12))).toBeUndefined();
    // The booking being moved does not block itself.
    expect(nextFreeSlot(taken, 'meeting-room', at(10), HOUR, at(24), 'a')).toBe(at(10));
    expect(nextFreeSlot(taken, 'meeting-room', at(10), 2 * HOUR, at(24), 'a')).toBe(at(12));
    expect(nextFreeSlot(taken, 'phone-booth', at(10), HOUR, at(24))).toBe(at(10));
  });

  it('places blocks in the working day and widens it to bookings outside', () => {
    const day = siteDay('2026-03-02', SEOUL)!;
    const w = timelineWindow(day.from, day.to, taken);
    expect([w.from, w.to]).toEqual([7 * 60, 22 * 60]);
    const box = blockBox(w, at(10), at(11))!;
    expect(box.left).toBeCloseTo(20);
    expect(box.width).toBeCloseTo(100 / 15);
    const late = timelineWindow(day.from, day.to, [booking({ id: 'x', start: at(22) + 30 * 60_000, end: at(24) + HOUR })]);
    expect([late.from, late.to]).toEqual([7 * 60, 24 * 60]);
  });
});
