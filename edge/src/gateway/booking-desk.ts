import { createHash } from 'node:crypto';
import { BOOKING_FACT_EVENTS, BOOKING_OVERRUN_EVENT, credentialSchema, resolveBooking, uuidSchema, type BookingFact, type BookingHold, type Credential, type EdgeBooking, type ResourceUse, type SiteEvent } from '@cr/shared';
import type { BookingBook } from '../store/booking-book';
import { bookingsDue, canCheckIn, type ZoneReadings } from '../domain/booking-due';
import { NextDue, type Timers } from '../domain/next-due';
import type { EdgeMetrics } from '../metrics';
import type { Logger } from '../log';

export interface BookingDeskDeps {
  book: BookingBook;
  zones: ZoneReadings;
  /** the member holding a credential, from the permission cache */
  memberOf(credential: Credential): string | undefined;
  /** appends an event to the outbox */
  record(event: SiteEvent): Promise<unknown>;
  metrics: Pick<EdgeMetrics, 'bookingFacts' | 'bookingMessages' | 'bookingsHeld'>;
  /** shows a booked resource's zone as in use (or not) in the site document; undefined removes it */
  showUse(zoneId: string, use: ResourceUse | undefined): void;
  log: Pick<Logger, 'info' | 'warn'>;
  now(): number;
  timers?: Timers;
}

export type CheckInSource = Extract<BookingFact['source'], 'grant' | 'motion' | 'occupancy' | 'kiosk'>;

/** An event id that follows from what it records: recording the same fact twice is one event in the cloud. */
export function derivedEventId(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The edge's side of bookings, online or offline: takes the cloud's bookings, checks bookings in
 * (a grant at a reader of the zone, motion or people in the zone, a kiosk), releases no-shows at
 * their deadline and empty rooms on its own (one timer, for whatever is due next), notes overruns,
 * and records each fact once as an outbox event (`booking.checked-in` / `booking.released`, `data`
 * the fact) so the cloud reaches the same state with `resolveBooking`. Nothing here is on the
 * decision path: a grant is handed over after the reader has its answer.
 */
export class BookingDesk {
  private readonly timer: NextDue;
  private readonly overrunsNoted = new Set<string>();
  private readonly shown = new Set<string>();

  constructor(private readonly deps: BookingDeskDeps) {
    this.timer = new NextDue(() => this.tick(), deps.now, deps.timers);
  }

  get book(): BookingBook {
    return this.deps.book;
  }

  /** A `bookings` message from the cloud; one that does not validate is counted and changes nothing. */
  onCloud(msg: unknown): boolean {
    const r = this.deps.book.apply(msg);
    this.deps.metrics.bookingMessages.inc({ result: r.ok ? 'applied' : 'refused' });
    if (!r.ok) {
      this.deps.log.warn(`bookings from the cloud refused: ${r.why.slice(0, 200)}`);
      return false;
    }
    if (r.kind === 'delta' || r.upserts > 0) this.deps.log.info(`bookings ${r.kind}: ${r.upserts} upserts, ${r.removals} removals; ${this.deps.book.size} held`);
    this.tick();
    return true;
  }

  /** A member let in at a reader of the zone (by a grant or a booking): checks their booking of the zone in. */
  onGrant(memberId: string, zoneId: string, now: number): void {
    this.checkIn(this.deps.book.candidates(memberId, zoneId), 'grant', now);
  }

  /** Motion or people in a zone: checks in the booking holding the zone. */
  onPresence(zoneId: string, source: 'motion' | 'occupancy', now: number): void {
    const holds = this.deps.book.inZone(zoneId);
    // Busy sensors: without a check-in, only an empty-room release can depend on this reading.
    if (holds.length > 0 && this.checkIn(holds, source, now) === 0 && holds.some((h) => h.booking.releaseWhenEmptyMs !== undefined)) this.tick(now);
  }

  /** The zone went quiet (or its sensors changed): an empty room's release may be due. */
  onZoneChange(zoneId: string, now: number): void {
    if (this.deps.book.inZone(zoneId).some((h) => h.booking.releaseWhenEmptyMs !== undefined)) this.tick(now);
  }

  /** A kiosk's `checkin`: `data.bookingId`, or `data.credential` whose member's bookings in their window check in. */
  onKiosk(deviceId: string, data: Record<string, unknown> | undefined, now: number): 'checked-in' | 'nothing' {
    const id = uuidSchema.safeParse(data?.bookingId);
    const credential = credentialSchema.safeParse(data?.credential);
    let holds: BookingHold[] = [];
    if (id.success) holds = [this.deps.book.hold(id.data)].filter((h) => h !== undefined);
    else if (credential.success) {
      const memberId = this.deps.memberOf(credential.data);
      holds = memberId === undefined ? [] : this.deps.book.ofMember(memberId);
    }
    return this.checkIn(holds, 'kiosk', now, deviceId) > 0 ? 'checked-in' : 'nothing';
  }

  /** Releases, overruns, pruning and the site document, then the timer for what is due next. */
  tick(now = this.deps.now()): void {
    const book = this.deps.book;
    for (const id of book.prune(now)) this.deps.log.info(`booking ${id} dropped: long over`);
    let work = bookingsDue(book.all(), now, this.deps.zones);
    if (work.releases.length > 0) {
      for (const f of work.releases) this.record(f);
      // Released now: what is due next follows from the new state.
      work = bookingsDue(book.all(), now, this.deps.zones);
    }
    for (const o of work.overruns) {
      const key = `${o.bookingId}:${o.end}`;
      if (this.overrunsNoted.has(key)) continue;
      this.overrunsNoted.add(key);
      this.deps.log.info(`booking ${o.bookingId} overruns: people still in the room at its end`);
      void this.deps.record({ id: derivedEventId(`booking:${key}:overrun`), type: BOOKING_OVERRUN_EVENT, ts: o.at, data: { bookingId: o.bookingId, at: o.at } });
    }
    this.show(now);
    this.deps.metrics.bookingsHeld.set(book.size);
    this.timer.schedule(work.nextAt);
  }

  /** Bookings with the state the edge gives them now (the local API). */
  list(now = this.deps.now()): EdgeBooking[] {
    return this.deps.book.all().map(({ booking, facts }) => {
      const r = resolveBooking(booking, facts, now);
      return { ...booking, state: r.state, checkedInAt: r.checkedInAt, releasedAt: r.releasedAt };
    });
  }

  close(): void {
    this.timer.close();
  }

  private checkIn(holds: readonly BookingHold[], source: BookingFact['source'], now: number, deviceId?: string): number {
    let n = 0;
    for (const h of holds) {
      if (!canCheckIn(h, now)) continue;
      n++;
      this.record({ bookingId: h.booking.id, kind: 'check-in', at: now, source }, deviceId);
    }
    if (n > 0) this.tick(now);
    return n;
  }

  /** One fact: into the book (persisted) and the outbox in the same commit, once. */
  private record(fact: BookingFact, deviceId?: string): void {
    if (!this.deps.book.addFact(fact)) return;
    const id = derivedEventId(`booking:${fact.bookingId}:${fact.kind}:${fact.source}:${fact.at}`);
    void this.deps.record({ id, type: BOOKING_FACT_EVENTS[fact.kind], ts: fact.at, deviceId, data: { ...fact } });
    this.deps.metrics.bookingFacts.inc({ kind: fact.kind, source: fact.source });
    this.deps.log.info(`booking ${fact.bookingId} ${fact.kind === 'check-in' ? 'checked in' : 'released'} (${fact.source})`);
  }

  /** Each booked resource's zone: in use while its current booking is checked in. */
  private show(now: number): void {
    const zones = new Set(this.deps.book.zones());
    for (const zoneId of zones) {
      let current: { id: string; state: ResourceUse['state'] } | undefined;
      for (const { booking, facts } of this.deps.book.inZone(zoneId)) {
        if (now < booking.start - booking.earlyMs || now >= booking.end) continue;
        const state = resolveBooking(booking, facts, now).state;
        if (state !== 'booked' && state !== 'checked-in') continue;
        if (!current || state === 'checked-in') current = { id: booking.id, state };
      }
      this.deps.showUse(zoneId, current ? { inUse: current.state === 'checked-in', bookingId: current.id, state: current.state, ts: now } : { inUse: false, ts: now });
      this.shown.add(zoneId);
    }
    for (const zoneId of [...this.shown]) {
      if (zones.has(zoneId)) continue;
      this.deps.showUse(zoneId, undefined);
      this.shown.delete(zoneId);
    }
  }
}
