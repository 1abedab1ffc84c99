import type { AccessReason } from '../protocol/access';
import { bookingOpens, type BookingFact, type EdgeBooking } from '../booking/booking-state';
import { decideAccess, type AccessDecision, type AccessInput } from './decide';

/**
 * Denials a booking may turn into a grant: the member is known, valid and allowed in by the site's
 * mode, only their grants do not cover the zone now. Every other denial stands whatever the booking
 * says — lockdown and secure mode, an unknown or malformed credential, an inactive or expired
 * member, a stale cache without offline whitelist, a door the edge cannot place, a pending reader.
 */
export const BOOKING_OVERRIDES: ReadonlySet<AccessReason> = new Set<AccessReason>(['no-grant', 'outside-schedule']);

/** A booking the edge holds for a member and a zone, with the facts it observed about it. */
export interface BookingHold {
  booking: Pick<EdgeBooking, 'id' | 'zoneId' | 'memberId' | 'start' | 'end' | 'state' | 'checkedInAt' | 'releasedAt' | 'graceMs' | 'earlyMs'>;
  facts: readonly BookingFact[];
}

export interface BookedDecision extends AccessDecision {
  /** the booking that opened the door, when `reason` is `booking` */
  bookingId?: string;
}

/**
 * The access decision with bookings, pure: the ordinary decision first; when it denies the member
 * only for want of a grant (or outside the grant's schedule), a booking of a resource in the
 * reader's zone that opens now (from `start − early`, until the no-show deadline or, checked in,
 * until `end`, never once released) grants with reason `booking`. `holds` are the member's bookings
 * in that zone as the caller indexes them; anything else passed in is ignored.
 */
export function decideWithBookings(input: AccessInput, holds: readonly BookingHold[]): BookedDecision {
  const base = decideAccess(input);
  if (base.granted || !BOOKING_OVERRIDES.has(base.reason)) return base;
  const memberId = input.member?.id;
  const zoneId = input.zoneId;
  if (memberId === undefined || zoneId === undefined) return base;
  for (const { booking, facts } of holds) {
    if (booking.memberId !== memberId || booking.zoneId !== zoneId) continue;
    if (bookingOpens(booking, facts, input.now)) return { granted: true, reason: 'booking', memberId, bookingId: booking.id };
  }
  return base;
}
