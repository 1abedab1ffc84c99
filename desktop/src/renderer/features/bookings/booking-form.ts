import { localTime } from '@cr/shared';
import type { Booking, NewBooking } from './booking-api';
import { weeklyRule } from './booking-plan';
import { clockOf, spanOf } from './booking-time';

/** What the booking dialog holds: site-local date and clocks, as a person enters them. */
export interface BookingForm {
  resourceId: string;
  memberId: string;
  /** YYYY-MM-DD at the site */
  date: string;
  /** HH:MM at the site */
  startClock: string;
  endClock: string;
  repeat: boolean;
  /** 0 = Sunday … 6 = Saturday */
  weekdays: number[];
  weeks: number;
  skipHolidays: boolean;
}

export type FormProblem = 'no-resource' | 'no-member' | 'bad-time' | 'end-before-start';

/** A fresh form for `resourceId` on `date` from `startMinute` (an hour long). */
export function blankForm(resourceId: string, date: string, startMinute: number): BookingForm {
  const start = Math.max(0, Math.min(23 * 60, startMinute));
  return { resourceId, memberId: '', date, startClock: clockOf(start), endClock: clockOf(start + 60), repeat: false, weekdays: [], weeks: 4, skipHolidays: true };
}

/** The form of an existing booking, for moving it. */
export function formOf(b: Booking, timeZone: string): BookingForm {
  const s = localTime(b.start, timeZone);
  const e = localTime(b.end, timeZone);
  // An end at the next midnight reads 24:00 on the booking's own day.
  const endMinute = e.date === s.date ? e.minuteOfDay : 1440;
  return { ...blankForm(b.resourceId, s.date, s.minuteOfDay), memberId: b.memberId, startClock: clockOf(s.minuteOfDay), endClock: clockOf(endMinute) };
}

/** The request a valid form makes (epoch ms from the site's wall clock), or the first problem. */
export function bookingRequest(form: BookingForm, timeZone: string): { body: NewBooking } | { problem: FormProblem } {
  if (!form.resourceId) return { problem: 'no-resource' };
  const memberId = form.memberId.trim();
  if (!memberId) return { problem: 'no-member' };
  const span = spanOf(form.date, form.startClock, form.endClock, timeZone);
  if (typeof span === 'string') return { problem: span };
  const body: NewBooking = { resourceId: form.resourceId, memberId, start: span.start, end: span.end };
  if (!form.repeat) return { body };
  const first = localTime(span.start, timeZone).weekday;
  return { body: { ...body, recurrence: { rrule: weeklyRule(form.weekdays, form.weeks, first), skipHolidays: form.skipHolidays } } };
}

/** How many bookings a repeating form makes (before holidays are skipped). */
export function repeatCount(form: BookingForm, timeZone: string): number {
  const r = bookingRequest(form, timeZone);
  const count = 'body' in r ? /COUNT=(\d+)/.exec(r.body.recurrence?.rrule ?? '')?.[1] : undefined;
  return count ? Number(count) : 1;
}
