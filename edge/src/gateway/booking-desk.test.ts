import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '@cr/store-kit';
import { bookingFactSchema, type EdgeBooking, type ResourceUse, type SiteEvent } from '@cr/shared';
import { openDb, type Db } from '../store/db';
import { BookingStore } from '../store/booking-store';
import { BookingBook } from '../store/booking-book';
import { createMetrics } from '../metrics';
import { BookingDesk } from './booking-desk';
import { MAX_WAIT_MS } from '../domain/next-due';

const MIN = 60_000;
const T = 1_800_000_000_000;
const booking = (over: Partial<EdgeBooking> = {}): EdgeBooking => ({
  id: randomUUID(),
  resourceId: 'meeting-room',
  zoneId: 'meeting',
  memberId: 'm1',
  start: T,
  end: T + 60 * MIN,
  state: 'booked',
  graceMs: 15 * MIN,
  earlyMs: 5 * MIN,
  ...over,
});

/** A clock and one-shot timers the test moves by hand. */
class FakeTime {
  now = T - 30 * MIN;
  private pending: Array<{ at: number; fn: () => void; handle: number }> = [];
  private n = 0;
  readonly timers = {
    set: (fn: () => void, ms: number) => {
      const handle = ++this.n;
      this.pending.push({ at: this.now + ms, fn, handle });
      return handle;
    },
    clear: (handle: unknown) => {
      this.pending = this.pending.filter((p) => p.handle !== handle);
    },
  };
  get scheduled(): number {
    return this.pending.length;
  }
  /** Moves the clock to `to`, firing each timer at its own time on the way. */
  advance(to: number): void {
    for (;;) {
      const next = this.pending.filter((p) => p.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.now = Math.max(this.now, next.at);
      next.fn();
    }
    this.now = to;
  }
}

let dir: string;
let db: Db;
let commits: GroupCommit;
let time: FakeTime;
let events: SiteEvent[];
let use: Map<string, ResourceUse>;
let zone: { emptySince?: number; occupied: boolean };
let metrics: ReturnType<typeof createMetrics>;

const deskOver = (): BookingDesk => {
  db = openDb(dir, 'normal');
  commits = new GroupCommit(db);
  return new BookingDesk({
    book: new BookingBook(new BookingStore(db, commits)),
    zones: { emptySince: () => zone.emptySince, occupied: () => zone.occupied },
    memberOf: (c) => (c.value === 'card-m1' ? 'm1' : undefined),
    record: async (e) => void events.push(e),
    metrics,
    showUse: (zoneId, u) => (u ? use.set(zoneId, u) : use.delete(zoneId)),
    log: { info: () => undefined, warn: () => undefined },
    now: () => time.now,
    timers: time.timers,
  });
};
const snapshot = (...upserts: EdgeBooking[]) => ({ type: 'bookings', kind: 'snapshot', upserts, removals: [] });
const facts = (type: string) => events.filter((e) => e.type === type).map((e) => bookingFactSchema.parse(e.data));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-desk-'));
  time = new FakeTime();
  events = [];
  use = new Map();
  zone = { occupied: false };
  metrics = createMetrics();
});
afterEach(() => {
  if (db?.open) {
    commits.flush();
    db.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('booking desk', () => {
  it('releases a booking never checked in at its deadline, on its own timer, once', () => {
    const desk = deskOver();
    const b = booking();
    desk.onCloud(snapshot(b));
    expect(time.scheduled).toBe(1);
    time.advance(T + 15 * MIN - 1);
    expect(events).toEqual([]);
    expect(desk.book.state(b.id, time.now)?.state).toBe('booked');
    time.advance(T + 15 * MIN + 5 * MIN);
    expect(facts('booking.released')).toEqual([{ bookingId: b.id, kind: 'release', at: T + 15 * MIN, source: 'no-show' }]);
    expect(events[0]).toMatchObject({ ts: T + 15 * MIN });
    desk.tick();
    desk.onGrant('m1', 'meeting', time.now);
    expect(events).toHaveLength(1);
    expect(desk.book.state(b.id, time.now)?.state).toBe('released');
    expect(desk.book.activeFor('m1', 'meeting', time.now)).toBeUndefined();
  });

  it('keeps one timer for the next deadline, whatever the number of bookings', () => {
    const desk = deskOver();
    desk.onCloud(snapshot(...Array.from({ length: 50 }, (_, i) => booking({ memberId: `m${i}`, start: T + i * MIN, end: T + (i + 60) * MIN }))));
    expect(time.scheduled).toBe(1);
    desk.onGrant('m3', 'meeting', T - 30 * MIN);
    expect(time.scheduled).toBe(1);
  });

  it('checks a booking in by a grant in its window, once, and the no-show timer then releases nothing', () => {
    const desk = deskOver();
    const b = booking();
    desk.onCloud(snapshot(b));
    desk.onGrant('m1', 'meeting', T - 6 * MIN);
    expect(events).toEqual([]);
    time.advance(T - 4 * MIN);
    desk.onGrant('m1', 'meeting', time.now);
    desk.onGrant('m1', 'meeting', time.now + MIN);
    expect(facts('booking.checked-in')).toEqual([{ bookingId: b.id, kind: 'check-in', at: T - 4 * MIN, source: 'grant' }]);
    time.advance(T + 50 * MIN);
    expect(facts('booking.released')).toEqual([]);
    expect(desk.book.state(b.id, time.now)?.state).toBe('checked-in');
  });

  it('recording the same fact twice gives the same event id', async () => {
    const desk = deskOver();
    const b = booking();
    desk.onCloud(snapshot(b));
    time.advance(T);
    desk.onGrant('m1', 'meeting', T);
    commits.flush();
    db.close();
    // A second gateway over the same file knows the fact and records nothing again.
    const again = deskOver();
    again.tick();
    again.onGrant('m1', 'meeting', T + MIN);
    expect(events).toHaveLength(1);
    expect(again.book.state(b.id, T + MIN)?.state).toBe('checked-in');
    const { derivedEventId } = await import('./booking-desk');
    expect(derivedEventId('x')).toBe(derivedEventId('x'));
    expect(derivedEventId('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('checks in by motion or people in the zone during the window, not before', () => {
    const desk = deskOver();
    const [a, b] = [booking(), booking({ zoneId: 'phone-1', start: T + 5 * MIN })];
    desk.onCloud(snapshot(a, b));
    desk.onPresence('meeting', 'motion', T - 10 * MIN);
    expect(events).toEqual([]);
    time.advance(T + MIN);
    desk.onPresence('meeting', 'occupancy', time.now);
    desk.onPresence('phone-1', 'motion', time.now);
    expect(facts('booking.checked-in')).toEqual([
      { bookingId: a.id, kind: 'check-in', at: T + MIN, source: 'occupancy' },
      { bookingId: b.id, kind: 'check-in', at: T + MIN, source: 'motion' },
    ]);
  });

  it('checks in at a kiosk by booking id or by credential', () => {
    const desk = deskOver();
    const [a, b] = [booking(), booking({ zoneId: 'phone-1' })];
    desk.onCloud(snapshot(a, b));
    time.advance(T + 2 * MIN);
    expect(desk.onKiosk('kiosk-lobby', { bookingId: a.id }, time.now)).toBe('checked-in');
    expect(desk.onKiosk('kiosk-lobby', { bookingId: a.id }, time.now)).toBe('nothing');
    expect(desk.onKiosk('kiosk-lobby', { credential: { type: 'card', value: 'card-nobody' } }, time.now)).toBe('nothing');
    expect(desk.onKiosk('kiosk-lobby', { bookingId: 'not a uuid' }, time.now)).toBe('nothing');
    expect(desk.onKiosk('kiosk-lobby', { credential: { type: 'card', value: 'card-m1' } }, time.now)).toBe('checked-in');
    expect(facts('booking.checked-in').map((f) => [f.bookingId, f.source])).toEqual([
      [a.id, 'kiosk'],
      [b.id, 'kiosk'],
    ]);
    expect(events.every((e) => e.deviceId === 'kiosk-lobby')).toBe(true);
  });

  it('releases a checked-in booking whose room stayed empty for releaseWhenEmptyMs', () => {
    const desk = deskOver();
    const b = booking({ releaseWhenEmptyMs: 10 * MIN });
    desk.onCloud(snapshot(b));
    time.advance(T);
    desk.onGrant('m1', 'meeting', T);
    zone.emptySince = T + 5 * MIN;
    time.advance(T + 5 * MIN);
    desk.onZoneChange('meeting', time.now);
    time.advance(T + 14 * MIN);
    expect(facts('booking.released')).toEqual([]);
    time.advance(T + 16 * MIN);
    expect(facts('booking.released')).toEqual([{ bookingId: b.id, kind: 'release', at: T + 15 * MIN, source: 'empty' }]);
    expect(desk.book.state(b.id, time.now)).toMatchObject({ state: 'released', releasedAt: T + 15 * MIN });
  });

  it('records an overrun when a checked-in booking ends with people in the room, once', () => {
    const desk = deskOver();
    const [b, quiet] = [booking(), booking({ zoneId: 'phone-1', memberId: 'm2' })];
    desk.onCloud(snapshot(b, quiet));
    time.advance(T);
    desk.onGrant('m1', 'meeting', T);
    desk.onGrant('m2', 'phone-1', T);
    zone.occupied = true;
    desk.onPresence('meeting', 'occupancy', T + 30 * MIN);
    time.advance(T + 60 * MIN + 30_000);
    const overruns = events.filter((e) => e.type === 'booking.overrun');
    // Both zones answer "occupied" here; each booking overruns once.
    expect(overruns.map((e) => e.data)).toEqual([
      { bookingId: b.id, at: T + 60 * MIN },
      { bookingId: quiet.id, at: T + 60 * MIN },
    ]);
    desk.tick();
    expect(events.filter((e) => e.type === 'booking.overrun')).toHaveLength(2);
  });

  it('shows the zone of a booked resource in use while its booking is checked in', () => {
    const desk = deskOver();
    const b = booking();
    desk.onCloud(snapshot(b));
    expect(use.get('meeting')).toMatchObject({ inUse: false });
    time.advance(T - 5 * MIN);
    expect(use.get('meeting')).toMatchObject({ inUse: false, bookingId: b.id, state: 'booked' });
    desk.onGrant('m1', 'meeting', time.now);
    expect(use.get('meeting')).toMatchObject({ inUse: true, bookingId: b.id, state: 'checked-in' });
    time.advance(T + 61 * MIN);
    expect(use.get('meeting')).toMatchObject({ inUse: false });
    expect(use.get('meeting')?.bookingId).toBeUndefined();
    desk.onCloud(snapshot());
    expect(use.has('meeting')).toBe(false);
  });

  it('counts a refused bookings message and changes nothing', async () => {
    const desk = deskOver();
    const b = booking();
    desk.onCloud(snapshot(b));
    expect(desk.onCloud({ ...snapshot(), upserts: [{ ...b, graceMs: -1 }] })).toBe(false);
    expect(desk.book.all().map((h) => h.booking.id)).toEqual([b.id]);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/edge_booking_messages_total\{result="refused"\} 1/);
    expect(text).toMatch(/edge_booking_messages_total\{result="applied"\} 1/);
  });

  it('never waits longer than MAX_WAIT_MS at once', () => {
    const desk = deskOver();
    desk.onCloud(snapshot(booking({ start: T + 10 * 60 * MIN, end: T + 11 * 60 * MIN })));
    const before = time.now;
    time.advance(before + MAX_WAIT_MS);
    expect(time.scheduled).toBe(1);
  });
});
