import type { BookingFact } from '@cr/shared';
import type { BookingsPort } from '../ports';
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
} from '../booking-records';
import { bufferOf } from '../bookings-store';
import { changed, displacedBy, firstConflict, settled, withFacts } from '../../domain/booking/slot-claims';
import type { PgDb, Queryable } from './pg-db';

const placeholders = BOOKING_COLUMNS.split(',').map((_, i) => `$${i + 1}`).join(', ');
const SQL = {
  insert: `INSERT INTO bookings (${BOOKING_COLUMNS}, updated_at) VALUES (${placeholders}, $${BOOKING_COLUMNS.split(',').length + 1})`,
  save: `UPDATE bookings SET resource_id = $1, start_ts = $2, end_ts = $3, state = $4, checked_in_at = $5, released_at = $6,
    cancel_reason = $7, version = $8, updated_at = $9 WHERE tenant_id = $10 AND id = $11`,
  byId: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE tenant_id = $1 AND id = $2`,
  byIdForUpdate: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
  // The resource's row is the lock every claim on its time takes: claims on one resource run one at a time.
  lockResource: `SELECT rules FROM booking_resources WHERE tenant_id = $1 AND site_id = $2 AND id = $3 FOR UPDATE`,
  holding: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE tenant_id = $1 AND site_id = $2 AND resource_id = $3
    AND state IN ('booked', 'checked-in') AND start_ts < $4 AND end_ts > $5`,
  list: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE tenant_id = $1 AND site_id = $2 AND start_ts < $3 AND end_ts > $4
    AND ($5::text IS NULL OR resource_id = $5) AND ($6::text IS NULL OR member_id = $6) ORDER BY start_ts, id LIMIT 5000`,
  window: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE tenant_id = $1 AND site_id = $2 AND state <> 'cancelled'
    AND end_ts > $3 AND start_ts <= $4 ORDER BY start_ts, id LIMIT $5`,
  startingBetween: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE state <> 'cancelled' AND start_ts > $1 AND start_ts <= $2
    ORDER BY tenant_id, site_id, start_ts LIMIT 10000`,
  due: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE (state = 'booked' AND (start_ts + grace_ms <= $1 OR end_ts <= $1))
    OR (state = 'checked-in' AND end_ts <= $1) ORDER BY start_ts LIMIT $2`,
  ofSeries: `SELECT ${BOOKING_COLUMNS} FROM bookings WHERE tenant_id = $1 AND series_id = $2 ORDER BY start_ts`,
  addFact: `INSERT INTO booking_facts (tenant_id, booking_id, kind, at, source, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT DO NOTHING`,
  facts: `SELECT booking_id AS "bookingId", kind, at, source FROM booking_facts WHERE tenant_id = $1 AND booking_id = $2 ORDER BY at`,
} as const;

const rows = async (q: Queryable, sql: string, params: unknown[]): Promise<BookingRecord[]> =>
  (await q.query<BookingRow>(sql, params)).rows.map(toBooking);

/** Bookings and their facts in PostgreSQL (the same contract as BookingsStore), claims serialised per resource by a row lock. */
export class PgBookingsStore implements BookingsPort {
  constructor(private readonly db: PgDb) {}

  insert(b: BookingRecord, now: number): Promise<SlotClaim> {
    return this.db.tx(async (c) => {
      const conflict = await this.conflictFor(c, b, now);
      if (conflict) return { conflict };
      await c.query(SQL.insert, [...bookingValues(b), now]);
      return { booking: b };
    });
  }

  move(tenantId: string, id: string, to: { resourceId: string; start: number; end: number }, now: number): Promise<SlotClaim | undefined> {
    return this.claim(tenantId, id, now, (b) => ({ ...b, ...to }));
  }

  extend(tenantId: string, id: string, end: number, now: number): Promise<SlotClaim | undefined> {
    return this.claim(tenantId, id, now, (b) => ({ ...b, end }));
  }

  async byId(tenantId: string, id: string): Promise<BookingRecord | undefined> {
    return (await rows(this.db.pool, SQL.byId, [tenantId, id]))[0];
  }

  list(q: BookingQuery): Promise<BookingRecord[]> {
    return rows(this.db.pool, SQL.list, [q.tenantId, q.siteId, q.to, q.from, q.resourceId ?? null, q.memberId ?? null]);
  }

  window(tenantId: string, siteId: string, from: number, to: number, limit: number): Promise<BookingRecord[]> {
    return rows(this.db.pool, SQL.window, [tenantId, siteId, from, to, limit]);
  }

  startingBetween(from: number, to: number): Promise<BookingRecord[]> {
    return rows(this.db.pool, SQL.startingBetween, [from, to]);
  }

  due(now: number, limit = 500): Promise<BookingRecord[]> {
    return rows(this.db.pool, SQL.due, [now, limit]);
  }

  ofSeries(tenantId: string, seriesId: string): Promise<BookingRecord[]> {
    return rows(this.db.pool, SQL.ofSeries, [tenantId, seriesId]);
  }

  cancel(tenantId: string, id: string, reason: CancelReason, now: number): Promise<BookingRecord | undefined> {
    return this.db.tx(async (c) => {
      const b = (await rows(c, SQL.byIdForUpdate, [tenantId, id]))[0];
      if (!b || (b.state !== 'booked' && b.state !== 'checked-in')) return undefined;
      const next: BookingRecord = { ...b, state: 'cancelled', cancelReason: reason, version: b.version + 1 };
      await this.save(c, next, now);
      return next;
    });
  }

  addFacts(tenantId: string, facts: readonly BookingFact[], now: number): Promise<number> {
    return this.db.tx(async (c) => {
      let n = 0;
      for (const f of facts) n += (await c.query(SQL.addFact, [tenantId, f.bookingId, f.kind, f.at, f.source, now])).rowCount ?? 0;
      return n;
    });
  }

  facts(tenantId: string, bookingId: string, q: Queryable = this.db.pool): Promise<BookingFact[]> {
    return q.query<BookingFact>(SQL.facts, [tenantId, bookingId]).then((r) => r.rows);
  }

  settle(tenantId: string, id: string, now: number): Promise<Settlement | undefined> {
    return this.db.tx(async (c) => {
      const peek = (await rows(c, SQL.byId, [tenantId, id]))[0];
      if (!peek) return undefined;
      // The resource first, then the booking: the order every claim takes its locks in.
      await c.query(SQL.lockResource, [tenantId, peek.siteId, peek.resourceId]);
      const before = (await rows(c, SQL.byIdForUpdate, [tenantId, id]))[0]!;
      let after = settled(before, await this.facts(tenantId, id, c), now);
      if (changed(before, after)) {
        after = { ...after, version: before.version + 1 };
        await this.save(c, after, now);
      } else after = before;
      const superseded = displacedBy(after, await this.holdingAround(c, after, 0), now);
      for (const s of superseded) await this.save(c, s, now);
      return { before, after, superseded };
    });
  }

  private claim(tenantId: string, id: string, now: number, change: (b: BookingRecord) => BookingRecord): Promise<SlotClaim | undefined> {
    return this.db.tx(async (c) => {
      const peek = (await rows(c, SQL.byId, [tenantId, id]))[0];
      if (!peek) return undefined;
      const next = { ...change(peek), version: peek.version + 1 };
      const conflict = await this.conflictFor(c, next, now);
      if (conflict) return { conflict };
      const current = (await rows(c, SQL.byIdForUpdate, [tenantId, id]))[0]!;
      const applied = { ...change(current), version: current.version + 1 };
      await this.save(c, applied, now);
      return { booking: applied };
    });
  }

  private async conflictFor(c: Queryable, b: BookingRecord, now: number): Promise<BookingRecord | undefined> {
    const lock = await c.query<{ rules: string }>(SQL.lockResource, [b.tenantId, b.siteId, b.resourceId]);
    if (lock.rows.length === 0) throw new Error(`resource ${b.resourceId} does not exist`);
    const bufferMs = bufferOf(lock.rows[0]!.rules);
    return firstConflict({ start: b.start, end: b.end, bufferMs, selfId: b.id }, await this.holdingAround(c, b, bufferMs), now);
  }

  private async holdingAround(c: Queryable, b: BookingRecord, bufferMs: number) {
    const others = await rows(c, SQL.holding, [b.tenantId, b.siteId, b.resourceId, b.end + bufferMs, b.start - bufferMs]);
    const facts = (await Promise.all(others.map((o) => this.facts(b.tenantId, o.id, c)))).flat();
    return withFacts(others, facts);
  }

  private async save(c: Queryable, b: BookingRecord, now: number): Promise<void> {
    await c.query(SQL.save, [b.resourceId, b.start, b.end, b.state, b.checkedInAt ?? null, b.releasedAt ?? null, b.cancelReason ?? null, b.version, now, b.tenantId, b.id]);
  }
}
