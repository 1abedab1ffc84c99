import type { BookingFact } from '@cr/shared';
import type { Db } from './db';
import {
  BOOKING_COLUMNS,
  bookingValues,
  toBooking,
  type BookingQuery,
  type BookingRecord,
  type BookingRow,
  type CancelReason,
  type Settlement,
  type SlotClaim,
} from './booking-records';
import { changed, displacedBy, firstConflict, settled, withFacts } from '../domain/booking/slot-claims';

const SQL = {
  insert: `INSERT INTO bookings (${BOOKING_COLUMNS}, updated_at) VALUES (${BOOKING_COLUMNS.split(',').map(() => '?').join(', ')}, ?)`,
  save: `UPDATE bookings SET resource_id = ?, start_ts = ?, end_ts = ?, state = ?, checked_in_at = ?, released_at = ?,
    cancel_reason = ?, version = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
  byId: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE tenant_id = ? AND id = ?`,
  buffer: `SELECT rules FROM booking_resources WHERE tenant_id = ? AND site_id = ? AND id = ?`,
  // Stored as holding: the shared rule then says whether each still holds at the moment of the claim.
  holding: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE tenant_id = ? AND site_id = ? AND resource_id = ?
    AND state IN ('booked', 'checked-in') AND start_ts < ? AND end_ts > ?`,
  list: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE tenant_id = @tenantId AND site_id = @siteId
    AND start_ts < @to AND end_ts > @from AND (@resourceId IS NULL OR resource_id = @resourceId)
    AND (@memberId IS NULL OR member_id = @memberId) ORDER BY start_ts, id LIMIT 5000`,
  window: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE tenant_id = ? AND site_id = ? AND state <> 'cancelled'
    AND end_ts > ? AND start_ts <= ? ORDER BY start_ts, id LIMIT ?`,
  startingBetween: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE state <> 'cancelled' AND start_ts > ? AND start_ts <= ?
    ORDER BY tenant_id, site_id, start_ts LIMIT 10000`,
  due: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE (state = 'booked' AND (start_ts + grace_ms <= ? OR end_ts <= ?))
    OR (state = 'checked-in' AND end_ts <= ?) ORDER BY start_ts LIMIT ?`,
  ofSeries: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE tenant_id = ? AND series_id = ? ORDER BY start_ts`,
  addFact: `INSERT OR IGNORE INTO booking_facts (tenant_id, booking_id, kind, at, source, recorded_at) VALUES (?, ?, ?, ?, ?, ?)`,
  facts: `SELECT booking_id AS bookingId, kind, at, source FROM booking_facts WHERE tenant_id = ? AND booking_id = ? ORDER BY at`,
} as const;

/** The buffer a resource keeps between bookings, from its stored rules. */
export function bufferOf(rules: string | undefined): number {
  try {
    const b = (JSON.parse(rules ?? '{}') as { bufferMs?: unknown }).bufferMs;
    return typeof b === 'number' && b > 0 ? b : 0;
  } catch {
    return 0;
  }
}

/**
 * Bookings and the facts observed about them, in SQLite. Every claim on a slot (create, move,
 * extend) and every settlement checks and writes in one transaction; one process owns the file
 * and a better-sqlite3 transaction runs without yielding, so two requests can never both win a slot.
 */
export class BookingsStore {
  constructor(private readonly db: Db) {}

  /** Stores a new booking unless a holding one of the resource clashes with it. */
  insert(b: BookingRecord, now: number): SlotClaim {
    return this.db.transaction((): SlotClaim => {
      const conflict = this.conflictFor(b, now);
      if (conflict) return { conflict };
      this.db.prepare(SQL.insert).run(...bookingValues(b), now);
      return { booking: b };
    })();
  }

  /** Moves a booking (time and/or resource) unless the new slot clashes; undefined when it does not exist. */
  move(tenantId: string, id: string, to: { resourceId: string; start: number; end: number }, now: number): SlotClaim | undefined {
    return this.db.transaction((): SlotClaim | undefined => {
      const b = this.byId(tenantId, id);
      if (!b) return undefined;
      const next = { ...b, ...to, version: b.version + 1 };
      const conflict = this.conflictFor(next, now);
      if (conflict) return { conflict };
      this.save(next, now);
      return { booking: next };
    })();
  }

  byId(tenantId: string, id: string): BookingRecord | undefined {
    const row = this.db.prepare(SQL.byId).get(tenantId, id) as BookingRow | undefined;
    return row ? toBooking(row) : undefined;
  }

  list(q: BookingQuery): BookingRecord[] {
    const rows = this.db.prepare(SQL.list).all({ ...q, resourceId: q.resourceId ?? null, memberId: q.memberId ?? null }) as BookingRow[];
    return rows.map(toBooking);
  }

  /** Bookings of a site running at `from` or starting by `to` (cancelled ones left out), at most `limit`. */
  window(tenantId: string, siteId: string, from: number, to: number, limit: number): BookingRecord[] {
    return (this.db.prepare(SQL.window).all(tenantId, siteId, from, to, limit) as BookingRow[]).map(toBooking);
  }

  /** Bookings of every tenant starting in (from, to]: those entering the edges' horizon. */
  startingBetween(from: number, to: number): BookingRecord[] {
    return (this.db.prepare(SQL.startingBetween).all(from, to) as BookingRow[]).map(toBooking);
  }

  /** Bookings recorded as holding whose check-in deadline or end has passed: the no-show sweep's work. */
  due(now: number, limit = 500): BookingRecord[] {
    return (this.db.prepare(SQL.due).all(now, now, now, limit) as BookingRow[]).map(toBooking);
  }

  ofSeries(tenantId: string, seriesId: string): BookingRecord[] {
    return (this.db.prepare(SQL.ofSeries).all(tenantId, seriesId) as BookingRow[]).map(toBooking);
  }

  /** Cancels a booking still holding its slot; the booking after, or undefined when it was not holding. */
  cancel(tenantId: string, id: string, reason: CancelReason, now: number): BookingRecord | undefined {
    return this.db.transaction(() => {
      const b = this.byId(tenantId, id);
      if (!b || (b.state !== 'booked' && b.state !== 'checked-in')) return undefined;
      const next: BookingRecord = { ...b, state: 'cancelled', cancelReason: reason, version: b.version + 1 };
      this.save(next, now);
      return next;
    })();
  }

  /** Records facts; each (booking, kind, at, source) once. Returns how many were new. */
  addFacts(tenantId: string, facts: readonly BookingFact[], now: number): number {
    const stmt = this.db.prepare(SQL.addFact);
    return this.db.transaction(() =>
      facts.reduce((n, f) => n + stmt.run(tenantId, f.bookingId, f.kind, f.at, f.source, now).changes, 0),
    )();
  }

  facts(tenantId: string, bookingId: string): BookingFact[] {
    return this.db.prepare(SQL.facts).all(tenantId, bookingId) as BookingFact[];
  }

  /**
   * Settles a booking from its record and facts at `now` and applies the conflict rule: bookings
   * of the resource it now overlaps while both hold are cancelled as superseded. One transaction.
   */
  settle(tenantId: string, id: string, now: number): Settlement | undefined {
    return this.db.transaction((): Settlement | undefined => {
      const before = this.byId(tenantId, id);
      if (!before) return undefined;
      let after = settled(before, this.facts(tenantId, id), now);
      if (changed(before, after)) {
        after = { ...after, version: before.version + 1 };
        this.save(after, now);
      } else after = before;
      const superseded = displacedBy(after, this.holdingAround(after, 0), now);
      for (const s of superseded) this.save(s, now);
      return { before, after, superseded };
    })();
  }

  /** Moves a booking's end later if nothing holds the time in between. */
  extend(tenantId: string, id: string, end: number, now: number): SlotClaim | undefined {
    return this.db.transaction((): SlotClaim | undefined => {
      const b = this.byId(tenantId, id);
      if (!b) return undefined;
      const next = { ...b, end, version: b.version + 1 };
      const conflict = this.conflictFor(next, now);
      if (conflict) return { conflict };
      this.save(next, now);
      return { booking: next };
    })();
  }

  private conflictFor(b: BookingRecord, now: number): BookingRecord | undefined {
    const rules = this.db.prepare(SQL.buffer).get(b.tenantId, b.siteId, b.resourceId) as { rules: string } | undefined;
    if (!rules) throw new Error(`resource ${b.resourceId} does not exist`);
    const bufferMs = bufferOf(rules.rules);
    return firstConflict({ start: b.start, end: b.end, bufferMs, selfId: b.id }, this.holdingAround(b, bufferMs), now);
  }

  private holdingAround(b: BookingRecord, bufferMs: number) {
    const rows = this.db.prepare(SQL.holding).all(b.tenantId, b.siteId, b.resourceId, b.end + bufferMs, b.start - bufferMs) as BookingRow[];
    const others = rows.map(toBooking);
    return withFacts(others, others.flatMap((o) => this.facts(b.tenantId, o.id)));
  }

  private save(b: BookingRecord, now: number): void {
    this.db
      .prepare(SQL.save)
      .run(b.resourceId, b.start, b.end, b.state, b.checkedInAt ?? null, b.releasedAt ?? null, b.cancelReason ?? null, b.version, now, b.tenantId, b.id);
  }
}
