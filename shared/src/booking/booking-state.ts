import { z } from 'zod';
import { idSchema, uuidSchema } from '../ids';
import { MINUTE_MS } from '../time';

/** Resource kinds of CONTRACT.md §8. */
export const RESOURCE_KINDS = ['meeting-room', 'phone-booth', 'recharging-zone'] as const;
export const resourceKindSchema = z.enum(RESOURCE_KINDS);
export type ResourceKind = z.infer<typeof resourceKindSchema>;

/** Booking states of CONTRACT.md §8. */
export const BOOKING_STATES = ['booked', 'checked-in', 'released', 'cancelled', 'completed'] as const;
export const bookingStateSchema = z.enum(BOOKING_STATES);
export type BookingState = z.infer<typeof bookingStateSchema>;

/** No-show grace when neither the cloud flag nor the site's policy says otherwise (CONTRACT.md §8). */
export const DEFAULT_NO_SHOW_GRACE_MS = 15 * MINUTE_MS;
/** How early before `start` the member's credential already opens the resource's zone. */
export const DEFAULT_EARLY_ENTRY_MS = 5 * MINUTE_MS;
/** Bookings the edge holds: those running now and those starting within this horizon. */
export const EDGE_BOOKING_HORIZON_MS = 48 * 60 * MINUTE_MS;

const ts = z.number().int().nonnegative();

/**
 * A booking as the cloud sends it to the edge (message `bookings`): what the edge needs to open the
 * resource's zone for the member and to check the booking in or release it on its own. `state` is
 * the cloud's view; the edge combines it with the facts it observed and has not yet seen
 * acknowledged (`resolveBooking`).
 */
export const edgeBookingSchema = z
  .object({
    id: uuidSchema,
    resourceId: idSchema,
    zoneId: idSchema,
    memberId: idSchema,
    start: ts,
    end: ts,
    state: bookingStateSchema,
    checkedInAt: ts.optional(),
    releasedAt: ts.optional(),
    graceMs: z.number().int().min(0).max(24 * 60 * MINUTE_MS),
    earlyMs: z.number().int().min(0).max(2 * 60 * MINUTE_MS),
    /** after check-in, a zone empty this long releases the booking early (source `empty`); absent = never */
    releaseWhenEmptyMs: z.number().int().min(MINUTE_MS).max(24 * 60 * MINUTE_MS).optional(),
  })
  .refine((b) => b.end > b.start, 'end must be after start');
export type EdgeBooking = z.infer<typeof edgeBookingSchema>;

/** How a booking was checked in, or why it was released. */
export const BOOKING_FACT_SOURCES = ['grant', 'motion', 'occupancy', 'kiosk', 'no-show', 'empty', 'operator'] as const;

/**
 * Something the edge (or a person in the console) observed about a booking. Facts only grow: the
 * edge records them as events (`booking.checked-in`, `booking.released`, `data` = this object) that
 * reach the cloud exactly once, and both sides compute the booking's state from the same facts with
 * `resolveBooking`, so they agree whatever order the facts and the cloud's changes arrive in.
 */
export const bookingFactSchema = z.object({
  bookingId: uuidSchema,
  kind: z.enum(['check-in', 'release']),
  at: ts,
  source: z.enum(BOOKING_FACT_SOURCES),
});
export type BookingFact = z.infer<typeof bookingFactSchema>;

/** Event types that carry a booking fact from the edge. */
export const BOOKING_FACT_EVENTS = { 'check-in': 'booking.checked-in', release: 'booking.released' } as const;

/**
 * Event the edge records when a checked-in booking reaches its end with people still in the zone
 * (`data`: `{ bookingId, at }`); the cloud extends the booking when the next slot is free and sends
 * the longer booking back.
 */
export const BOOKING_OVERRUN_EVENT = 'booking.overrun';

export interface ResolvedBooking {
  state: BookingState;
  checkedInAt?: number;
  releasedAt?: number;
}

type Timing = Pick<EdgeBooking, 'start' | 'end' | 'state' | 'checkedInAt' | 'releasedAt' | 'graceMs' | 'earlyMs'>;

/** The last moment a check-in counts: the end of the grace, or the end when the booking is shorter. */
export function checkInDeadline(b: Pick<EdgeBooking, 'start' | 'end' | 'graceMs'>): number {
  return Math.min(b.start + b.graceMs, b.end);
}

/**
 * A booking's state from its timing, the recorded state and the facts observed, at `now`. Pure and
 * order-free: the same inputs in any order give the same answer on the edge and in the cloud.
 * - `cancelled` is final (a person cancelled it, or it lost a conflict).
 * - The earliest check-in inside [start − early, deadline] makes it `checked-in`, `completed` from
 *   `end` on; a later `release` fact with source `empty` (an empty room released early by policy)
 *   or `operator` releases it from then.
 * - Without a check-in, it is `released` at the deadline (no-show), or earlier by a release fact.
 */
export function resolveBooking(b: Timing, facts: readonly BookingFact[], now: number): ResolvedBooking {
  if (b.state === 'cancelled') return { state: 'cancelled' };
  const deadline = checkInDeadline(b);
  const checkIns = facts.filter((f) => f.kind === 'check-in' && f.at >= b.start - b.earlyMs && f.at <= deadline).map((f) => f.at);
  if (b.checkedInAt !== undefined) checkIns.push(b.checkedInAt);
  const releases = facts.filter((f) => f.kind === 'release');
  if (b.state === 'released' && b.releasedAt !== undefined) {
    // The recorded release: a no-show one (at the deadline, never checked in) yields to a check-in.
    const noShow = b.checkedInAt === undefined && b.releasedAt >= deadline;
    releases.push({ bookingId: '', kind: 'release', at: b.releasedAt, source: noShow ? 'no-show' : 'operator' });
  }
  const checkedInAt = checkIns.length > 0 ? Math.min(...checkIns) : undefined;
  if (checkedInAt !== undefined) {
    const early = releases.filter((f) => f.source !== 'no-show' && f.at > checkedInAt && f.at < b.end).map((f) => f.at);
    const releasedAt = early.length > 0 ? Math.min(...early) : undefined;
    if (releasedAt !== undefined && releasedAt <= now) return { state: 'released', checkedInAt, releasedAt };
    return { state: now >= b.end ? 'completed' : 'checked-in', checkedInAt };
  }
  // Before the deadline only a person's release counts; a no-show release counts from the
  // deadline whatever its own timestamp says (a clock ahead of the other side cannot release early).
  const byPerson = releases.filter((f) => f.source === 'operator' && f.at < deadline).map((f) => f.at);
  const releasedAt = byPerson.length > 0 ? Math.min(...byPerson) : deadline;
  if (now >= releasedAt) return { state: 'released', releasedAt };
  return { state: 'booked' };
}

/**
 * Whether the booking opens its zone for its member at `now`: from `start − early` while it is
 * booked (until the no-show deadline) or checked in (until `end`).
 */
export function bookingOpens(b: Timing, facts: readonly BookingFact[], now: number): boolean {
  if (now < b.start - b.earlyMs || now >= b.end) return false;
  const r = resolveBooking(b, facts, now);
  return r.state === 'booked' || r.state === 'checked-in';
}

/** Whether two half-open intervals [aStart, aEnd) and [bStart, bEnd) overlap. */
export function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd;
}

/** States that hold the resource's time (a new booking overlapping one of them is refused, 409). */
export function holdsSlot(state: BookingState): boolean {
  return state === 'booked' || state === 'checked-in';
}
