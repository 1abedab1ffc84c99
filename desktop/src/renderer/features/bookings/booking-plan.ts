import { holdsSlot, overlaps } from '@cr/shared';
import type { Booking } from './booking-api';

/** RFC 5545 weekday codes, indexed like `LocalTime.weekday` (0 = Sunday). */
export const WEEKDAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
/** Weekdays in the order a Korean or European week is read: Monday first. */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

/**
 * A weekly repeat on the chosen weekdays for `weeks` weeks from the first booking. The first
 * booking's own weekday is always part of the rule (the series starts there), and any 7·N days in
 * a row hold each weekday exactly N times, so COUNT is weeks × weekdays.
 */
export function weeklyRule(weekdays: readonly number[], weeks: number, firstWeekday: number): string {
  const days = new Set([...weekdays, firstWeekday].filter((d) => d >= 0 && d <= 6));
  const byDay = WEEK_ORDER.filter((d) => days.has(d)).map((d) => WEEKDAY_CODES[d]);
  const n = Math.max(1, Math.min(52, Math.floor(weeks)));
  return `FREQ=WEEKLY;BYDAY=${byDay.join(',')};COUNT=${n * days.size}`;
}

/**
 * The earliest start at or after `start` where a booking of `durationMs` fits on the resource,
 * given the bookings that hold its time; undefined when none fits before `until`.
 */
export function nextFreeSlot(bookings: readonly Booking[], resourceId: string, start: number, durationMs: number, until: number, ignoreId?: string): number | undefined {
  const held = bookings.filter((b) => b.resourceId === resourceId && b.id !== ignoreId && holdsSlot(b.state)).sort((a, b) => a.start - b.start);
  let candidate = start;
  for (;;) {
    if (candidate + durationMs > until) return undefined;
    const clash = held.find((b) => overlaps(candidate, candidate + durationMs, b.start, b.end));
    if (!clash) return candidate;
    candidate = clash.end;
  }
}
