import { holdsSlot, overlaps, resolveBooking, type BookingFact } from '@cr/shared';
import type { BookingRecord } from '../../store/booking-records';

/** A booking with the facts observed about it. */
export interface BookingWithFacts {
  booking: BookingRecord;
  facts: readonly BookingFact[];
}

/**
 * The booking as the shared rule settles it at `now`: the state the edge computes from the same
 * record and facts. A cancelled booking stays as it is.
 */
export function settled(b: BookingRecord, facts: readonly BookingFact[], now: number): BookingRecord {
  if (b.state === 'cancelled') return b;
  const r = resolveBooking(b, facts, now);
  const { checkedInAt: _c, releasedAt: _r, ...rest } = b;
  return {
    ...rest,
    state: r.state,
    ...(r.checkedInAt !== undefined ? { checkedInAt: r.checkedInAt } : {}),
    ...(r.releasedAt !== undefined ? { releasedAt: r.releasedAt } : {}),
  };
}

/** Whether settling changed what is recorded. */
export const changed = (a: BookingRecord, b: BookingRecord): boolean =>
  a.state !== b.state || a.checkedInAt !== b.checkedInAt || a.releasedAt !== b.releasedAt;

/** Whether the booking holds its resource's time at `now` (a no-show past its grace no longer does). */
export const holdingAt = (x: BookingWithFacts, now: number): boolean => holdsSlot(settled(x.booking, x.facts, now).state);

/**
 * The first booking of `others` that still holds time clashing with [start, end) widened by the
 * resource's buffer; `selfId` is the booking being moved, which never clashes with itself.
 */
export function firstConflict(
  slot: { start: number; end: number; bufferMs: number; selfId?: string },
  others: readonly BookingWithFacts[],
  now: number,
): BookingRecord | undefined {
  const clash = others
    .filter((o) => o.booking.id !== slot.selfId)
    .filter((o) => overlaps(slot.start - slot.bufferMs, slot.end + slot.bufferMs, o.booking.start, o.booking.end))
    .filter((o) => holdingAt(o, now))
    .sort((a, b) => a.booking.start - b.booking.start);
  return clash[0]?.booking;
}

/**
 * The conflict rule: when a booking holds its slot (a late check-in restored a no-show the cloud
 * had released), every other booking of the resource that still holds overlapping time loses it.
 * The restored booking wins because its member was there in time; the others are cancelled as
 * `superseded`, so no resource is ever left with two overlapping holding bookings.
 */
export function displacedBy(winner: BookingRecord, others: readonly BookingWithFacts[], now: number): BookingRecord[] {
  if (!holdsSlot(winner.state)) return [];
  return others
    .filter((o) => o.booking.id !== winner.id && o.booking.resourceId === winner.resourceId)
    .filter((o) => overlaps(winner.start, winner.end, o.booking.start, o.booking.end))
    .filter((o) => holdingAt(o, now))
    .map((o) => ({ ...o.booking, state: 'cancelled' as const, cancelReason: 'superseded' as const, version: o.booking.version + 1 }));
}

/** Facts grouped by booking id. */
export function factsByBooking(facts: readonly BookingFact[]): Map<string, BookingFact[]> {
  const out = new Map<string, BookingFact[]>();
  for (const f of facts) {
    const list = out.get(f.bookingId) ?? [];
    list.push(f);
    out.set(f.bookingId, list);
  }
  return out;
}

/** The bookings with their facts. */
export const withFacts = (bookings: readonly BookingRecord[], facts: readonly BookingFact[]): BookingWithFacts[] => {
  const by = factsByBooking(facts);
  return bookings.map((booking) => ({ booking, facts: by.get(booking.id) ?? [] }));
};
