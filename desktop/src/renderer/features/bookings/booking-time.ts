import { DAY_MS, MINUTE_MS, localTime, parseClock } from '@cr/shared';

/** Wall-clock times of the site: bookings are entered and shown in the site's zone, sent as epoch ms. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcOfDate(date: string): number | undefined {
  const m = DATE.exec(date);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === date ? ms : undefined;
}

/** How far the zone's wall clock is ahead of UTC at `ts`, in ms (whole minutes). */
function offsetAt(ts: number, timeZone: string): number {
  const lt = localTime(ts, timeZone);
  const wall = (utcOfDate(lt.date) ?? 0) + lt.minuteOfDay * MINUTE_MS;
  return wall - Math.floor(ts / MINUTE_MS) * MINUTE_MS;
}

/**
 * The instant at `minuteOfDay` on `date` (YYYY-MM-DD) in the site's zone; undefined when the date is
 * malformed. Two passes settle the offset where a zone changes it that day.
 */
export function localToEpoch(date: string, minuteOfDay: number, timeZone: string): number | undefined {
  const day = utcOfDate(date);
  if (day === undefined || !Number.isInteger(minuteOfDay)) return undefined;
  const wall = day + minuteOfDay * MINUTE_MS;
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const day = utcOfDate(date);
  return day === undefined ? date : new Date(day + days * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date at the site. */
export function siteToday(timeZone: string, now = Date.now()): string {
  return localTime(now, timeZone).date;
}

/** The instants a site day spans: [from, to). */
export function siteDay(date: string, timeZone: string): { from: number; to: number } | undefined {
  const from = localToEpoch(date, 0, timeZone);
  const to = localToEpoch(addDays(date, 1), 0, timeZone);
  return from === undefined || to === undefined ? undefined : { from, to };
}

/** "HH:MM" of a minute of the day (1440 → "24:00"). */
export function clockOf(minuteOfDay: number): string {
  const m = Math.max(0, Math.min(1440, Math.round(minuteOfDay)));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** "HH:MM" of an instant at the site. */
export function siteClock(ts: number, timeZone: string): string {
  return clockOf(localTime(ts, timeZone).minuteOfDay);
}

/** Start and end of a booking as the site reads them, with the date when it is not `onDate`. */
export function siteSpan(start: number, end: number, timeZone: string, onDate?: string): string {
  const s = localTime(start, timeZone);
  const text = `${clockOf(s.minuteOfDay)}–${siteClock(end, timeZone)}`;
  return onDate === undefined || s.date === onDate ? text : `${s.date} ${text}`;
}

/** Epoch ms of a date and two "HH:MM" clocks at the site; an end at or before the start is a problem. */
export function spanOf(date: string, startClock: string, endClock: string, timeZone: string): { start: number; end: number } | 'bad-time' | 'end-before-start' {
  const a = parseClock(startClock);
  const b = parseClock(endClock);
  if (a === undefined || b === undefined) return 'bad-time';
  const start = localToEpoch(date, a, timeZone);
  const end = localToEpoch(date, b, timeZone);
  if (start === undefined || end === undefined) return 'bad-time';
  return end > start ? { start, end } : 'end-before-start';
}
