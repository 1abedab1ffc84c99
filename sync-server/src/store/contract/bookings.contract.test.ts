import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { holdsSlot, overlaps } from '@cr/shared';
import { describeBackends, type Backend } from './backends';
import { BookingsStore } from '../bookings-store';
import { BookingResourcesStore } from '../booking-resources-store';
import { BookingSeriesStore } from '../booking-series-store';
import { BookingUsageStore } from '../booking-usage-store';
import { PgBookingsStore } from '../postgres/pg-bookings-store';
import { PgBookingResourcesStore } from '../postgres/pg-booking-resources-store';
import { PgBookingSeriesStore } from '../postgres/pg-booking-series-store';
import { PgBookingUsageStore } from '../postgres/pg-booking-usage-store';
import { sqlitePort, type BookingResourcesPort, type BookingSeriesPort, type BookingsPort, type BookingUsagePort } from '../ports';
import type { BookingRecord, ResourceRecord } from '../booking-records';

interface Stores {
  resources: BookingResourcesPort;
  bookings: BookingsPort;
  series: BookingSeriesPort;
  usage: BookingUsagePort;
}

const storesOf = (b: Backend): Stores =>
  b.kind === 'sqlite'
    ? {
        resources: sqlitePort(new BookingResourcesStore(b.db)),
        bookings: sqlitePort(new BookingsStore(b.db)),
        series: sqlitePort(new BookingSeriesStore(b.db)),
        usage: sqlitePort(new BookingUsageStore(b.db)),
      }
    : {
        resources: new PgBookingResourcesStore(b.pg),
        bookings: new PgBookingsStore(b.pg),
        series: new PgBookingSeriesStore(b.pg),
        usage: new PgBookingUsageStore(b.pg),
      };

const HOUR = 3_600_000;
const T0 = Date.UTC(2030, 0, 7, 1); // far ahead: nothing is a no-show yet
const room = (rules: ResourceRecord['rules'] = {}): ResourceRecord => ({
  tenantId: 't1',
  siteId: 'a',
  id: 'room-1',
  kind: 'meeting-room',
  name: 'Room 1',
  zoneId: 'meeting',
  capacity: 6,
  rules,
});
const booking = (start: number, end: number, over: Partial<BookingRecord> = {}): BookingRecord => ({
  id: randomUUID(),
  tenantId: 't1',
  siteId: 'a',
  resourceId: 'room-1',
  memberId: 'm1',
  start,
  end,
  state: 'booked',
  graceMs: 15 * 60_000,
  earlyMs: 5 * 60_000,
  createdAt: 1,
  createdBy: 'u1',
  version: 1,
  ...over,
});
const NOW = T0 - 24 * HOUR;

describeBackends('bookings store', (current) => {
  it('keeps resources per tenant and site, with their rules', async () => {
    const s = storesOf(current());
    expect(await s.resources.put(room({ bufferMs: 600_000, hours: { mon: [['09:00', '18:00']] } }))).toBe(true);
    expect(await s.resources.put({ ...room(), name: 'Renamed' })).toBe(false);
    await s.resources.put({ ...room(), tenantId: 't2' });
    expect(await s.resources.get('t1', 'a', 'room-1')).toMatchObject({ name: 'Renamed', zoneId: 'meeting', rules: {} });
    expect((await s.resources.ofSite('t1', 'a')).map((r) => r.tenantId)).toEqual(['t1']);
    expect(await s.resources.remove('t1', 'a', 'room-1')).toBe(true);
    expect(await s.resources.get('t1', 'a', 'room-1')).toBeUndefined();
    expect(await s.resources.get('t2', 'a', 'room-1')).toBeDefined();
  });

  it('refuses an overlapping claim and names the booking it clashes with', async () => {
    const s = storesOf(current());
    await s.resources.put(room());
    const first = booking(T0, T0 + HOUR);
    expect(await s.bookings.insert(first, NOW)).toEqual({ booking: first });
    const clash = await s.bookings.insert(booking(T0 + HOUR / 2, T0 + 2 * HOUR), NOW);
    expect(clash).toEqual({ conflict: expect.objectContaining({ id: first.id }) });
    // Back to back is no overlap; another tenant's room of the same id is another room.
    expect('booking' in (await s.bookings.insert(booking(T0 + HOUR, T0 + 2 * HOUR), NOW))).toBe(true);
    await s.resources.put({ ...room(), tenantId: 't2' });
    expect('booking' in (await s.bookings.insert(booking(T0, T0 + HOUR, { tenantId: 't2' }), NOW))).toBe(true);
    await expect(s.bookings.insert(booking(T0, T0 + HOUR, { resourceId: 'nowhere' }), NOW)).rejects.toThrow(/does not exist/);
  });

  it('keeps the resource buffer between bookings', async () => {
    const s = storesOf(current());
    await s.resources.put(room({ bufferMs: 10 * 60_000 }));
    await s.bookings.insert(booking(T0, T0 + HOUR), NOW);
    expect('conflict' in (await s.bookings.insert(booking(T0 + HOUR + 5 * 60_000, T0 + 2 * HOUR), NOW))).toBe(true);
    expect('booking' in (await s.bookings.insert(booking(T0 + HOUR + 10 * 60_000, T0 + 2 * HOUR), NOW))).toBe(true);
  });

  it('lets exactly one of 20 concurrent claims on one slot win', async () => {
    const s = storesOf(current());
    await s.resources.put(room());
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => s.bookings.insert(booking(T0 + i * 1000, T0 + HOUR), NOW)));
    expect(claims.filter((c) => 'booking' in c)).toHaveLength(1);
    const held = (await s.bookings.list({ tenantId: 't1', siteId: 'a', from: 0, to: T0 + 10 * HOUR })).filter((b) => holdsSlot(b.state));
    expect(held).toHaveLength(1);
  });

  it('frees a released or cancelled slot for a new booking, and a no-show past its grace too', async () => {
    const s = storesOf(current());
    await s.resources.put(room());
    const a = booking(T0, T0 + HOUR);
    await s.bookings.insert(a, NOW);
    expect((await s.bookings.cancel('t1', a.id, 'cancelled', NOW))?.state).toBe('cancelled');
    expect(await s.bookings.cancel('t1', a.id, 'cancelled', NOW)).toBeUndefined();
    const b = booking(T0, T0 + HOUR);
    expect('booking' in (await s.bookings.insert(b, NOW))).toBe(true);
    // Recorded as booked, but 20 minutes in without a check-in: it no longer holds the rest of the hour.
    expect('booking' in (await s.bookings.insert(booking(T0 + 30 * 60_000, T0 + HOUR), T0 + 20 * 60_000))).toBe(true);
  });

  it('moves a booking unless the new slot clashes, and never clashes with itself', async () => {
    const s = storesOf(current());
    await s.resources.put(room());
    const a = booking(T0, T0 + HOUR);
    const b = booking(T0 + 2 * HOUR, T0 + 3 * HOUR);
    await s.bookings.insert(a, NOW);
    await s.bookings.insert(b, NOW);
    const moved = await s.bookings.move('t1', a.id, { resourceId: 'room-1', start: T0 + HOUR / 2, end: T0 + 90 * 60_000 }, NOW);
    expect(moved).toEqual({ booking: expect.objectContaining({ start: T0 + HOUR / 2, version: 2 }) });
    expect(await s.bookings.move('t1', a.id, { resourceId: 'room-1', start: T0 + 150 * 60_000, end: T0 + 4 * HOUR }, NOW)).toEqual({
      conflict: expect.objectContaining({ id: b.id }),
    });
    expect(await s.bookings.move('t2', a.id, { resourceId: 'room-1', start: T0, end: T0 + HOUR }, NOW)).toBeUndefined();
  });

  it('records each fact once, however often it is reported', async () => {
    const s = storesOf(current());
    await s.resources.put(room());
    const a = booking(T0, T0 + HOUR);
    await s.bookings.insert(a, NOW);
    const fact = { bookingId: a.id, kind: 'check-in' as const, at: T0 + 60_000, source: 'grant' as const };
    expect(await s.bookings.addFacts('t1', [fact, fact], NOW)).toBe(1);
    expect(await s.bookings.addFacts('t1', [fact], NOW)).toBe(0);
    expect(await s.bookings.facts('t1', a.id)).toEqual([fact]);
    expect(await s.bookings.facts('t2', a.id)).toEqual([]);
  });

  it('settles a no-show, restores it on a late check-in and supersedes the booking made in its place', async () => {
    const s = storesOf(current());
    await s.resources.put(room());
    const a = booking(T0, T0 + HOUR);
    await s.bookings.insert(a, NOW);
    const released = await s.bookings.settle('t1', a.id, T0 + 16 * 60_000);
    expect(released?.after).toMatchObject({ state: 'released', releasedAt: T0 + 15 * 60_000, version: 2 });
    expect((await s.bookings.due(T0 + 16 * 60_000)).map((x) => x.id)).toEqual([]);
    const b = booking(T0 + 20 * 60_000, T0 + HOUR, { memberId: 'm2' });
    expect('booking' in (await s.bookings.insert(b, T0 + 17 * 60_000))).toBe(true);
    // The edge was offline: its check-in at 10:05 arrives at 10:25.
    await s.bookings.addFacts('t1', [{ bookingId: a.id, kind: 'check-in', at: T0 + 5 * 60_000, source: 'grant' }], T0 + 25 * 60_000);
    const restored = await s.bookings.settle('t1', a.id, T0 + 25 * 60_000);
    expect(restored?.after).toMatchObject({ state: 'checked-in', checkedInAt: T0 + 5 * 60_000 });
    expect(restored?.superseded.map((x) => x.id)).toEqual([b.id]);
    expect(await s.bookings.byId('t1', b.id)).toMatchObject({ state: 'cancelled', cancelReason: 'superseded' });
    const all = await s.bookings.list({ tenantId: 't1', siteId: 'a', from: 0, to: T0 + 2 * HOUR });
    const holding = all.filter((x) => holdsSlot(x.state));
    for (const x of holding) for (const y of holding) if (x !== y) expect(overlaps(x.start, x.end, y.start, y.end)).toBe(false);
  });

  it('finds what is due, what a site holds ahead, and what enters the horizon', async () => {
    const s = storesOf(current());
    await s.resources.put(room());
    const a = booking(T0, T0 + HOUR);
    const later = booking(T0 + 50 * HOUR, T0 + 51 * HOUR);
    await s.bookings.insert(a, NOW);
    await s.bookings.insert(later, NOW);
    expect((await s.bookings.due(T0 + 10 * 60_000)).map((x) => x.id)).toEqual([]);
    expect((await s.bookings.due(T0 + 15 * 60_000)).map((x) => x.id)).toEqual([a.id]);
    expect((await s.bookings.window('t1', 'a', T0 - HOUR, T0 + 47 * HOUR, 100)).map((x) => x.id)).toEqual([a.id]);
    expect((await s.bookings.startingBetween(T0 + 49 * HOUR, T0 + 50 * HOUR)).map((x) => x.id)).toEqual([later.id]);
    expect((await s.bookings.extend('t1', a.id, T0 + HOUR + 15 * 60_000, NOW))).toEqual({ booking: expect.objectContaining({ end: T0 + HOUR + 15 * 60_000 }) });
  });

  it('keeps series, ending one only once, and usage records idempotent', async () => {
    const s = storesOf(current());
    const series = { tenantId: 't1', id: 's1', siteId: 'a', resourceId: 'room-1', memberId: 'm1', rrule: 'FREQ=DAILY;COUNT=3', skipHolidays: true, missedCount: 0, state: 'active' as const, createdAt: 1, createdBy: 'u1' };
    await s.series.insert(series);
    expect(await s.series.update('t1', 's1', 2, 'active')).toBe(true);
    expect(await s.series.update('t1', 's1', 3, 'ended')).toBe(true);
    expect(await s.series.update('t1', 's1', 3, 'ended')).toBe(false);
    expect(await s.series.get('t1', 's1')).toEqual({ ...series, missedCount: 3, state: 'ended' });
    const usage = { id: 'b1.completed', tenantId: 't1', siteId: 'a', memberId: 'm1', resourceId: 'room-1', bookingId: 'b1', kind: 'completed' as const, minutes: 60, at: T0 };
    expect(await s.usage.record(usage)).toBe(true);
    expect(await s.usage.record({ ...usage, minutes: 99 })).toBe(false);
    expect(await s.usage.query({ tenantId: 't1', from: 0, to: T0 + 1 })).toEqual([usage]);
    expect(await s.usage.query({ tenantId: 't1', siteId: 'b', from: 0, to: T0 + 1 })).toEqual([]);
  });
});
