import { checkInDeadline, MINUTE_MS, resolveBooking, type BookingFact, type BookingHold, type EdgeBooking } from '@cr/shared';

/** A booking with the facts observed about it, as the edge holds it. */
export interface DueHold extends BookingHold {
  booking: BookingHold['booking'] & Pick<EdgeBooking, 'releaseWhenEmptyMs'>;
}

/** A checked-in booking whose end finds people in its zone within this long counts as overrun. */
export const OVERRUN_CHECK_MS = MINUTE_MS;

export interface ZoneReadings {
  /** since when nobody has been in the zone; undefined while someone is, or before any sensor reported */
  emptySince(zoneId: string): number | undefined;
  /** whether someone is in the zone now */
  occupied(zoneId: string): boolean;
}

export interface DueWork {
  /** releases the edge observes now (no-show at the deadline, an empty room) */
  releases: BookingFact[];
  /** checked-in bookings that reached their end with people in the zone */
  overruns: Array<{ bookingId: string; end: number; at: number }>;
  /** when something is due next (a deadline, an end, an empty room's release, a window opening) */
  nextAt?: number;
}

/** Whether a check-in observed now counts for the booking: booked, and inside [start − early, deadline]. */
export function canCheckIn(h: BookingHold, now: number): boolean {
  const b = h.booking;
  if (now < b.start - b.earlyMs || now > checkInDeadline(b)) return false;
  return resolveBooking(b, h.facts, now).state === 'booked';
}

/**
 * What the bookings ask of the edge at `now`, pure: a booking never checked in is released at its
 * deadline (source `no-show`, once: not when the cloud or a fact already released it); a checked-in
 * booking with `releaseWhenEmptyMs` is released once its zone has been empty that long since the
 * check-in (source `empty`); a checked-in booking at its end with people in the zone overruns. Also
 * says when to look again.
 */
export function bookingsDue(holds: readonly DueHold[], now: number, zones: ZoneReadings): DueWork {
  const work: DueWork = { releases: [], overruns: [] };
  const next = (at: number): void => {
    if (at > now && (work.nextAt === undefined || at < work.nextAt)) work.nextAt = at;
  };
  for (const h of holds) {
    const b = h.booking;
    const r = resolveBooking(b, h.facts, now);
    const deadline = checkInDeadline(b);
    next(b.start - b.earlyMs);
    next(b.end);
    if (r.state === 'booked') next(deadline);
    if (r.state === 'released' && r.checkedInAt === undefined && r.releasedAt === deadline) {
      const known = b.state === 'released' || h.facts.some((f) => f.kind === 'release');
      if (!known) work.releases.push({ bookingId: b.id, kind: 'release', at: deadline, source: 'no-show' });
    }
    if (r.state === 'checked-in' && b.releaseWhenEmptyMs !== undefined) {
      const since = zones.emptySince(b.zoneId);
      if (since !== undefined) {
        const at = Math.max(since, r.checkedInAt!) + b.releaseWhenEmptyMs;
        if (at < b.end && at <= now) work.releases.push({ bookingId: b.id, kind: 'release', at, source: 'empty' });
        else if (at < b.end) next(at);
      }
    }
    if (r.state === 'completed' && r.checkedInAt !== undefined && r.releasedAt === undefined && now < b.end + OVERRUN_CHECK_MS && zones.occupied(b.zoneId)) {
      work.overruns.push({ bookingId: b.id, end: b.end, at: now });
    }
  }
  return work;
}
