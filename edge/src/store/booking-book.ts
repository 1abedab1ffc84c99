import {
  bookingOpens,
  cloudToEdgeSchema,
  MINUTE_MS,
  resolveBooking,
  type BookingFact,
  type BookingHold,
  type BookingsMessage,
  type EdgeBooking,
  type ResolvedBooking,
} from '@cr/shared';
import type { BookingStore, StoredFact } from './booking-store';

/** How long after its end a booking (and the facts about it) stays: late facts, an overrun, the cloud's extension. */
export const BOOKING_KEEP_AFTER_END_MS = 60 * MINUTE_MS;

/** A booking the edge holds (as the cloud sent it) with the facts observed here. */
export interface HeldBooking extends BookingHold {
  booking: EdgeBooking;
}

export type ApplyResult = { ok: true; kind: BookingsMessage['kind']; upserts: number; removals: number } | { ok: false; why: string };

const key = (zoneId: string, memberId: string): string => `${zoneId}\n${memberId}`;

function index(map: Map<string, Set<string>>, k: string, id: string, add: boolean): void {
  let ids = map.get(k);
  if (add) {
    if (!ids) map.set(k, (ids = new Set()));
    ids.add(id);
  } else if (ids) {
    ids.delete(id);
    if (ids.size === 0) map.delete(k);
  }
}

/**
 * The bookings of the site as the cloud last sent them (message `bookings`: a snapshot replaces
 * them all, a delta adds, replaces and drops), with the facts the edge itself observed (check-ins,
 * releases). A booking's state is always `resolveBooking(cloud's booking, local facts, now)`: a
 * snapshot that predates an offline check-in does not undo it, because the local fact stays until
 * the booking is long over. Held in memory, indexed by zone and member so a decision looks at the
 * member's bookings of the reader's zone only; kept in SQLite for an offline restart.
 */
export class BookingBook {
  private readonly bookings = new Map<string, EdgeBooking>();
  private readonly facts = new Map<string, StoredFact[]>();
  private readonly byZoneMember = new Map<string, Set<string>>();
  private readonly byZone = new Map<string, Set<string>>();
  private readonly byMember = new Map<string, Set<string>>();

  constructor(private readonly store: BookingStore) {
    const stored = store.load();
    for (const b of stored.bookings) this.set(b);
    for (const f of stored.facts) this.remember(f);
  }

  get size(): number {
    return this.bookings.size;
  }

  /** Takes a `bookings` message from the cloud; a message that does not validate changes nothing. */
  apply(raw: unknown): ApplyResult {
    const parsed = cloudToEdgeSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, why: parsed.error.issues[0]?.message ?? 'invalid' };
    if (parsed.data.type !== 'bookings') return { ok: false, why: `not a bookings message (${parsed.data.type})` };
    const msg = parsed.data;
    const removals = new Set(msg.removals);
    const upserts = [...new Map(msg.upserts.filter((b) => !removals.has(b.id)).map((b) => [b.id, b])).values()];
    if (msg.kind === 'snapshot') {
      for (const id of [...this.bookings.keys()]) this.unset(id);
      for (const b of upserts) this.set(b);
      void this.store.replace(upserts);
    } else {
      for (const id of removals) this.unset(id);
      for (const b of upserts) this.set(b);
      void this.store.change(upserts, [...removals]);
    }
    return { ok: true, kind: msg.kind, upserts: upserts.length, removals: removals.size };
  }

  get(id: string): EdgeBooking | undefined {
    return this.bookings.get(id);
  }

  factsOf(id: string): BookingFact[] {
    return (this.facts.get(id) ?? []).map((f) => f.fact);
  }

  hold(id: string): HeldBooking | undefined {
    const booking = this.bookings.get(id);
    return booking ? { booking, facts: this.factsOf(id) } : undefined;
  }

  /** The member's bookings of resources in the zone (whatever their state): what a decision looks at. */
  candidates(memberId: string | undefined, zoneId: string | undefined): HeldBooking[] {
    if (memberId === undefined || zoneId === undefined) return [];
    return this.holds(this.byZoneMember.get(key(zoneId, memberId)));
  }

  /** The member's booking of a resource in the zone that opens it now, if any. */
  activeFor(memberId: string, zoneId: string, now: number): HeldBooking | undefined {
    return this.candidates(memberId, zoneId).find((h) => bookingOpens(h.booking, h.facts, now));
  }

  inZone(zoneId: string): HeldBooking[] {
    return this.holds(this.byZone.get(zoneId));
  }

  ofMember(memberId: string): HeldBooking[] {
    return this.holds(this.byMember.get(memberId));
  }

  all(): HeldBooking[] {
    return this.holds(this.bookings.keys());
  }

  /** Zones that have a booking the edge holds. */
  zones(): string[] {
    return [...this.byZone.keys()];
  }

  /** The booking's state now, from the cloud's booking and the facts observed here. */
  state(id: string, now: number): ResolvedBooking | undefined {
    const booking = this.bookings.get(id);
    return booking ? resolveBooking(booking, this.factsOf(id), now) : undefined;
  }

  /** Records a fact about a booking the edge holds; false when unknown or already known. Commits with the same tick's outbox event. */
  addFact(fact: BookingFact): boolean {
    const booking = this.bookings.get(fact.bookingId);
    if (!booking) return false;
    const known = this.facts.get(fact.bookingId) ?? [];
    if (known.some((f) => f.fact.kind === fact.kind && f.fact.source === fact.source && f.fact.at === fact.at)) return false;
    const stored = { fact, keepUntil: booking.end + BOOKING_KEEP_AFTER_END_MS };
    this.remember(stored);
    void this.store.addFact(stored);
    return true;
  }

  /** Drops bookings, and facts, well past their end; returns the dropped bookings' ids. */
  prune(now: number): string[] {
    const dropped = [...this.bookings.values()].filter((b) => b.end + BOOKING_KEEP_AFTER_END_MS < now).map((b) => b.id);
    for (const id of dropped) this.unset(id);
    let factsDropped = false;
    for (const [id, list] of this.facts) {
      // Facts about a booking still held stay with it (the cloud may have extended it).
      if (this.bookings.has(id)) continue;
      const kept = list.filter((f) => f.keepUntil >= now);
      if (kept.length === list.length) continue;
      factsDropped = true;
      if (kept.length === 0) this.facts.delete(id);
      else this.facts.set(id, kept);
    }
    if (dropped.length > 0 || factsDropped) void this.store.prune(dropped, now);
    return dropped;
  }

  private holds(ids: Iterable<string> | undefined): HeldBooking[] {
    const out: HeldBooking[] = [];
    if (!ids) return out;
    for (const id of ids) {
      const h = this.hold(id);
      if (h) out.push(h);
    }
    return out;
  }

  private remember(f: StoredFact): void {
    const list = this.facts.get(f.fact.bookingId);
    if (list) list.push(f);
    else this.facts.set(f.fact.bookingId, [f]);
  }

  private set(b: EdgeBooking): void {
    this.unset(b.id);
    this.bookings.set(b.id, b);
    index(this.byZoneMember, key(b.zoneId, b.memberId), b.id, true);
    index(this.byZone, b.zoneId, b.id, true);
    index(this.byMember, b.memberId, b.id, true);
  }

  private unset(id: string): void {
    const b = this.bookings.get(id);
    if (!b) return;
    this.bookings.delete(id);
    index(this.byZoneMember, key(b.zoneId, b.memberId), id, false);
    index(this.byZone, b.zoneId, id, false);
    index(this.byMember, b.memberId, id, false);
  }
}
