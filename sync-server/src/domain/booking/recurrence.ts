import * as rrulePackage from 'rrule';
import Holidays from 'date-holidays';
import { DAY_MS, localTime } from '@cr/shared';

// rrule ships CommonJS to Node, ES modules to bundlers: its classes are on the default export or the module.
const rrule = ((rrulePackage as unknown as { default?: typeof rrulePackage }).default ?? rrulePackage) as typeof rrulePackage;
const { RRule, rrulestr } = rrule;
type RRule = InstanceType<typeof RRule>;

/** At most this many occurrences per series, and none more than a year after the first. */
export const MAX_OCCURRENCES = 200;
const MAX_SPAN_MS = 366 * DAY_MS;

export class RecurrenceError extends Error {}

/** One occurrence of a series: its slot, and whether it falls on a public holiday. */
export interface Occurrence {
  start: number;
  end: number;
  /** YYYY-MM-DD in the site's time zone */
  date: string;
  holiday?: string;
}

/**
 * The epoch ms of a wall-clock time in `timeZone` (the parts as a UTC date): the zone's offset at
 * that moment, found by asking what local time the guess is and correcting once more around DST.
 */
export function wallClockToEpoch(wall: Date, timeZone: string): number {
  const target = wall.getTime();
  let guess = target;
  for (let i = 0; i < 2; i++) {
    const lt = localTime(guess, timeZone);
    const [y, m, d] = lt.date.split('-').map(Number) as [number, number, number];
    const seen = Date.UTC(y, m - 1, d) + lt.minuteOfDay * 60_000 + (guess % 60_000);
    guess += target - seen;
  }
  return guess;
}

/** The wall-clock time of `ts` in `timeZone`, as a UTC date with those fields (what rrule expands). */
export function epochToWallClock(ts: number, timeZone: string): Date {
  const lt = localTime(ts, timeZone);
  const [y, m, d] = lt.date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + lt.minuteOfDay * 60_000 + (ts % 60_000));
}

const holidayCalendars = new Map<string, Holidays>();
function holidaysOf(country: string): Holidays {
  let h = holidayCalendars.get(country);
  if (!h) {
    h = new Holidays(country);
    holidayCalendars.set(country, h);
  }
  return h;
}

/** The public holiday on a local date (YYYY-MM-DD) in a country, by its name, or undefined. */
export function publicHoliday(date: string, country = 'KR'): string | undefined {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // date-holidays reads a Date in its own calendar's zone; noon keeps it on the right day.
  const found = holidaysOf(country).isHoliday(new Date(Date.UTC(y, m - 1, d, 3)));
  const publicOne = Array.isArray(found) ? found.find((h) => h.type === 'public') : undefined;
  return publicOne?.name;
}

/**
 * The occurrences of an RFC 5545 RRULE (the `RRULE:` prefix optional; DTSTART is the first
 * booking's start) expanded on the site's wall clock, so 09:00 every Monday stays 09:00 local
 * whatever the zone's offset does. Each lasts as long as the first.
 */
export function expandRecurrence(rule: string, first: { start: number; end: number }, timeZone: string): Occurrence[] {
  const text = rule.trim().replace(/^RRULE:/i, '');
  if (/DTSTART|TZID|\n/i.test(text)) throw new RecurrenceError('rrule: give the RRULE only; the series starts at the booking start');
  let parsed: RRule;
  try {
    const options = RRule.parseString(text);
    parsed = new RRule({ ...options, dtstart: epochToWallClock(first.start, timeZone), tzid: null });
    if (!(rrulestr(`RRULE:${text}`) instanceof RRule)) throw new Error('not one rule');
  } catch (err) {
    throw new RecurrenceError(`rrule: not a valid RRULE (${(err as Error).message})`);
  }
  const length = first.end - first.start;
  const limit = epochToWallClock(first.start + MAX_SPAN_MS, timeZone);
  const walls = parsed.all((d, i) => i < MAX_OCCURRENCES && d <= limit);
  if (walls.length === 0) throw new RecurrenceError('rrule: the rule yields no occurrence');
  if (!parsed.options.count && !parsed.options.until && walls.length >= MAX_OCCURRENCES)
    throw new RecurrenceError(`rrule: give COUNT or UNTIL (at most ${MAX_OCCURRENCES} occurrences)`);
  return walls.map((w) => {
    const start = wallClockToEpoch(w, timeZone);
    const date = localTime(start, timeZone).date;
    const holiday = publicHoliday(date);
    return { start, end: start + length, date, ...(holiday ? { holiday } : {}) };
  });
}
