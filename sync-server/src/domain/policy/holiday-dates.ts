import Holidays from 'date-holidays';
import { localTime, DAY_MS, type PolicyBody } from '@cr/shared';

/** How far ahead public holidays are expanded into the closed dates an edge receives. */
export const HOLIDAY_HORIZON_DAYS = 400;

const calendars = new Map<string, Holidays>();
function calendarOf(country: string): Holidays {
  let h = calendars.get(country);
  if (!h) {
    h = new Holidays(country);
    calendars.set(country, h);
  }
  return h;
}

/** The country's public holidays (YYYY-MM-DD) from `from` through `to` (both local dates, inclusive). */
export function publicHolidayDates(country: string, from: string, to: string): string[] {
  const dates = new Set<string>();
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) {
    for (const h of calendarOf(country).getHolidays(y)) {
      // `date` is the holiday's local start ("YYYY-MM-DD hh:mm:ss"); substitute holidays are public too.
      const date = h.date.slice(0, 10);
      if (h.type === 'public' && date >= from && date <= to) dates.add(date);
    }
  }
  return [...dates].sort();
}

/**
 * The body an edge receives: `holidays` expanded into concrete closed dates for the next
 * HOLIDAY_HORIZON_DAYS days in the site's zone, so the edge needs no holiday calendar of its own.
 * The stored version keeps the rule; each delivery expands it again from the day it is sent.
 */
export function bodyForEdge(body: PolicyBody, now: number, timeZone: string): PolicyBody {
  if (!body.holidays) return body;
  const from = localTime(now, timeZone).date;
  const to = localTime(now + HOLIDAY_HORIZON_DAYS * DAY_MS, timeZone).date;
  const holidays = publicHolidayDates(body.holidays.country, from, to);
  const closedDates = [...new Set([...(body.openingHours?.closedDates ?? []), ...holidays])].sort();
  return { ...body, openingHours: { ...body.openingHours, closedDates } };
}
