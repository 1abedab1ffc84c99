import { MINUTE_MS } from '@cr/shared';
import type { Booking } from './booking-api';

/** Where the timeline's day begins and ends (minutes of the site's day) unless bookings lie outside. */
export const DAY_WINDOW = { from: 7 * 60, to: 22 * 60 } as const;
/** The step of keyboard moves and drags. */
export const NUDGE_MINUTES = 15;

export interface TimelineWindow {
  /** epoch ms of the site's local midnight */
  dayStart: number;
  /** minutes of the day shown, whole hours */
  from: number;
  to: number;
}

/** The hours shown: the working day, widened to whole hours around any booking of the day. */
export function timelineWindow(dayStart: number, dayEnd: number, bookings: readonly Pick<Booking, 'start' | 'end'>[]): TimelineWindow {
  let from: number = DAY_WINDOW.from;
  let to: number = DAY_WINDOW.to;
  const dayMinutes = Math.round((dayEnd - dayStart) / MINUTE_MS);
  for (const b of bookings) {
    if (b.end <= dayStart || b.start >= dayEnd) continue;
    from = Math.min(from, Math.floor(Math.max(0, (b.start - dayStart) / MINUTE_MS) / 60) * 60);
    to = Math.max(to, Math.ceil(Math.min(dayMinutes, (b.end - dayStart) / MINUTE_MS) / 60) * 60);
  }
  return { dayStart, from, to };
}

/** Hour marks of the window (minutes of the day). */
export function hourMarks(w: TimelineWindow): number[] {
  const marks: number[] = [];
  for (let m = w.from; m < w.to; m += 60) marks.push(m);
  return marks;
}

/** Percent of the window's width at an instant, clamped to the window. */
export function percentAt(w: TimelineWindow, ts: number): number {
  const minute = (ts - w.dayStart) / MINUTE_MS;
  const pct = ((minute - w.from) / (w.to - w.from)) * 100;
  return Math.max(0, Math.min(100, pct));
}

/** A block's left edge and width in percent of the window; undefined when it lies outside. */
export function blockBox(w: TimelineWindow, start: number, end: number): { left: number; width: number } | undefined {
  const left = percentAt(w, start);
  const right = percentAt(w, end);
  return right > left ? { left, width: right - left } : undefined;
}

/** The instant under a point of the track, rounded to the nudge step. */
export function instantAt(w: TimelineWindow, fraction: number): number {
  const minute = w.from + Math.max(0, Math.min(1, fraction)) * (w.to - w.from);
  return w.dayStart + Math.round(minute / NUDGE_MINUTES) * NUDGE_MINUTES * MINUTE_MS;
}
