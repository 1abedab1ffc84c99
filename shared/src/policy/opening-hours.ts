import { z } from 'zod';
import { localTime, parseClock } from '../time';

const clock = z.string().refine((v) => parseClock(v) !== undefined, 'must be HH:MM between 00:00 and 24:00');

/**
 * One opening interval of a day in the site's local time. `end` earlier than `start` runs past
 * midnight into the next day (e.g. ["18:00", "02:00"]); equal ends are refused (use 00:00–24:00).
 */
export const openingIntervalSchema = z
  .tuple([clock, clock])
  .refine(([start, end]) => start !== end, 'an interval must not start and end at the same time');
export type OpeningInterval = z.infer<typeof openingIntervalSchema>;

/** The weekday keys of opening hours, Sunday first as `localTime` counts them. */
export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

const dateSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be YYYY-MM-DD');

/** Most closed dates one policy carries (its own plus a year of expanded public holidays). */
export const MAX_CLOSED_DATES = 1_000;

const daySchema = z.array(openingIntervalSchema).max(12);

/**
 * When the site is open (CONTRACT.md §9), in its local time. An empty list closes that day; a day
 * left out has no hours set and stays open all day (a site with no policy is always open too, so
 * only what the policy names closes it). A closed date closes the whole local date, including the
 * part of the previous evening's interval that runs past midnight into it.
 */
export const openingHoursSchema = z.strictObject({
  mon: daySchema.optional(),
  tue: daySchema.optional(),
  wed: daySchema.optional(),
  thu: daySchema.optional(),
  fri: daySchema.optional(),
  sat: daySchema.optional(),
  sun: daySchema.optional(),
  closedDates: z.array(dateSchema).max(MAX_CLOSED_DATES).optional(),
});
export type OpeningHours = z.infer<typeof openingHoursSchema>;

/** Minutes of a day's intervals: [from, to) pairs on that day and the overnight tails on the next. */
function covers(day: readonly OpeningInterval[], minute: number): boolean {
  return day.some(([s, e]) => {
    const start = parseClock(s) ?? 0;
    const end = parseClock(e) ?? 0;
    return start < end ? minute >= start && minute < end : minute >= start;
  });
}

function tailCovers(day: readonly OpeningInterval[], minute: number): boolean {
  return day.some(([s, e]) => {
    const start = parseClock(s) ?? 0;
    const end = parseClock(e) ?? 0;
    return end < start && minute < end;
  });
}

/** The local date before `date` (YYYY-MM-DD), by the calendar. */
export function previousDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

/** Whether the opening hours have the site open at local `weekday`/`minute` on `date`. */
export function openAt(hours: OpeningHours, weekday: number, minute: number, date: string): boolean {
  const closed = hours.closedDates;
  if (closed?.includes(date)) return false;
  const today = hours[WEEKDAY_KEYS[weekday]!];
  if (today === undefined || covers(today, minute)) return true;
  const yesterday = hours[WEEKDAY_KEYS[(weekday + 6) % 7]!];
  if (yesterday === undefined || !tailCovers(yesterday, minute)) return false;
  // Yesterday's evening runs on into today only when yesterday itself was open.
  return !closed?.includes(previousDate(date));
}

/** Whether the site is open at `now` in `timeZone` by these opening hours (none: always open). */
export function openingHoursOpen(hours: OpeningHours | undefined, now: number, timeZone: string): boolean {
  if (!hours) return true;
  const t = localTime(now, timeZone);
  return openAt(hours, t.weekday, t.minuteOfDay, t.date);
}
