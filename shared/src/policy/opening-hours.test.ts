import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { localTime, MINUTE_MS } from '../time';
import { isSiteOpen, policyBodySchema, type PolicyBody } from './policy-body';
import { WEEKDAY_KEYS, type OpeningHours } from './opening-hours';

// 2026-11-16 is a Monday.
const seoul = (iso: string): number => Date.parse(`${iso}+09:00`);
const utc = (iso: string): number => Date.parse(`${iso}Z`);
const open = (hours: OpeningHours, ts: number, tz = 'Asia/Seoul') => isSiteOpen({ openingHours: hours }, ts, tz);

describe('isSiteOpen', () => {
  const office: OpeningHours = { mon: [['09:00', '18:00']], sat: [], sun: [] };

  it('is open inside an interval and closed outside it, end excluded', () => {
    expect(open(office, seoul('2026-11-16T08:59:00'))).toBe(false);
    expect(open(office, seoul('2026-11-16T09:00:00'))).toBe(true);
    expect(open(office, seoul('2026-11-16T17:59:00'))).toBe(true);
    expect(open(office, seoul('2026-11-16T18:00:00'))).toBe(false);
  });

  it('an empty list closes the day; a day left out is open all day', () => {
    expect(open(office, seoul('2026-11-21T12:00:00'))).toBe(false); // Saturday: []
    expect(open(office, seoul('2026-11-17T03:00:00'))).toBe(true); // Tuesday: not named
  });

  it('without a policy or opening hours the site is always open', () => {
    expect(isSiteOpen(undefined, seoul('2026-11-21T03:00:00'), 'Asia/Seoul')).toBe(true);
    expect(isSiteOpen({}, seoul('2026-11-21T03:00:00'), 'Asia/Seoul')).toBe(true);
  });

  it('an interval past midnight stays open into the next morning', () => {
    const late: OpeningHours = { fri: [['18:00', '02:00']], sat: [] };
    expect(open(late, seoul('2026-11-20T23:30:00'))).toBe(true);
    expect(open(late, seoul('2026-11-21T01:59:00'))).toBe(true); // Saturday is [], but Friday runs on
    expect(open(late, seoul('2026-11-21T02:00:00'))).toBe(false);
  });

  it('a closed date closes the whole local date and the overnight tail into it', () => {
    const hours: OpeningHours = { ...Object.fromEntries(WEEKDAY_KEYS.map((d) => [d, [['20:00', '02:00']]])), closedDates: ['2026-11-18'] };
    expect(open(hours, seoul('2026-11-17T21:00:00'))).toBe(true);
    expect(open(hours, seoul('2026-11-18T01:00:00'))).toBe(false); // tail of the 17th onto a closed date
    expect(open(hours, seoul('2026-11-18T21:00:00'))).toBe(false);
    expect(open(hours, seoul('2026-11-19T01:00:00'))).toBe(false); // the closed 18th's evening never started
    expect(open(hours, seoul('2026-11-19T21:00:00'))).toBe(true);
    expect(open({ closedDates: ['2026-11-18'] }, seoul('2026-11-18T12:00:00'))).toBe(false);
  });

  it('reads the hours in the site time zone: 09:00 Seoul is 00:00 UTC', () => {
    const ts = utc('2026-11-16T00:30:00'); // Monday 09:30 in Seoul, Monday 00:30 in UTC
    expect(open(office, ts, 'Asia/Seoul')).toBe(true);
    expect(open(office, ts, 'UTC')).toBe(false);
    // Sunday 23:30 UTC is already Monday 08:30 in Seoul: closed there, but Sunday is [] in UTC too.
    expect(open({ sun: [['00:00', '24:00']], mon: [] }, utc('2026-11-15T23:30:00'), 'UTC')).toBe(true);
    expect(open({ sun: [['00:00', '24:00']], mon: [] }, utc('2026-11-15T23:30:00'), 'Asia/Seoul')).toBe(false);
  });
});

/** Reference: lays the week out minute by minute, from the previous local day's intervals and today's. */
function bruteForceOpen(hours: OpeningHours, ts: number, tz: string): boolean {
  const t = localTime(ts, tz);
  const prevDate = localTime(ts - t.minuteOfDay * MINUTE_MS - MINUTE_MS, tz).date;
  if (hours.closedDates?.includes(t.date)) return false;
  const minutes = new Array<boolean>(2 * 1440).fill(false);
  const lay = (dayIndex: number, weekday: number, closed: boolean) => {
    const day = hours[WEEKDAY_KEYS[weekday]!];
    if (closed) return;
    if (day === undefined) {
      for (let m = 0; m < 1440; m++) minutes[dayIndex * 1440 + m] = true;
      return;
    }
    for (const [s, e] of day) {
      const start = Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
      let end = Number(e.slice(0, 2)) * 60 + Number(e.slice(3));
      if (end < start) end += 1440;
      for (let m = start; m < end; m++) if (dayIndex * 1440 + m < minutes.length) minutes[dayIndex * 1440 + m] = true;
    }
  };
  lay(0, (t.weekday + 6) % 7, hours.closedDates?.includes(prevDate) ?? false);
  lay(1, t.weekday, false);
  return minutes[1440 + t.minuteOfDay]!;
}

describe('isSiteOpen agrees with a minute-by-minute reference', () => {
  const clock = fc.tuple(fc.integer({ min: 0, max: 24 }), fc.constantFrom(0, 15, 30, 59)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(h === 24 ? 0 : m).padStart(2, '0')}`);
  const interval = fc.tuple(clock, clock).filter(([s, e]) => s !== e);
  const day = fc.option(fc.array(interval, { maxLength: 3 }), { nil: undefined });
  const hours = fc.record({
    ...Object.fromEntries(WEEKDAY_KEYS.map((d) => [d, day])),
    closedDates: fc.option(fc.uniqueArray(fc.integer({ min: 10, max: 23 }).map((d) => `2026-11-${d}`), { maxLength: 8 }), { nil: undefined }),
  }) as fc.Arbitrary<OpeningHours>;
  const instant = fc.integer({ min: utc('2026-11-10T00:00:00'), max: utc('2026-11-23T00:00:00') });

  it('for random hours, instants and zones (fixed seed)', () => {
    fc.assert(
      fc.property(hours, instant, fc.constantFrom('Asia/Seoul', 'UTC', 'America/New_York'), (h, ts, tz) => {
        const body = policyBodySchema.parse({ openingHours: h }) as PolicyBody;
        expect(isSiteOpen(body, ts, tz)).toBe(bruteForceOpen(h, ts, tz));
      }),
      { seed: 16, numRuns: 3000 },
    );
  });
});
