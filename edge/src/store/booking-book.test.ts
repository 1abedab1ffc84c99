import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GroupCommit } from '@cr/store-kit';
import { resolveBooking, type BookingFact, type BookingsMessage, type EdgeBooking } from '@cr/shared';
import { openDb, type Db } from './db';
import { BookingStore } from './booking-store';
import { BOOKING_KEEP_AFTER_END_MS, BookingBook } from './booking-book';

const MIN = 60_000;
const T = 1_800_000_000_000;

export const booking = (over: Partial<EdgeBooking> = {}): EdgeBooking => ({
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
const msg = (kind: BookingsMessage['kind'], upserts: EdgeBooking[], removals: string[] = []): BookingsMessage => ({ type: 'bookings', kind, upserts, removals });
const checkIn = (b: EdgeBooking, at: number, source: BookingFact['source'] = 'grant'): BookingFact => ({ bookingId: b.id, kind: 'check-in', at, source });

let dir: string;
let db: Db;
let commits: GroupCommit;
const open = (): BookingBook => {
  db = openDb(dir, 'normal');
  commits = new GroupCommit(db);
  return new BookingBook(new BookingStore(db, commits));
};
/** Closes the database the way a stopping edge does, and opens it again. */
const restart = (): BookingBook => {
  commits.flush();
  db.close();
  return open();
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-bookings-'));
});
afterEach(() => {
  if (db?.open) {
    commits.flush();
    db.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('booking book', () => {
  it('a snapshot replaces every booking, a delta adds, replaces and drops', () => {
    const book = open();
    const [a, b, c] = [booking(), booking({ memberId: 'm2' }), booking({ zoneId: 'lounge' })];
    expect(book.apply(msg('snapshot', [a, b]))).toMatchObject({ ok: true });
    expect(book.candidates('m1', 'meeting').map((h) => h.booking.id)).toEqual([a.id]);
    book.apply(msg('delta', [c, { ...a, end: T + 90 * MIN }], [b.id]));
    expect(book.get(a.id)?.end).toBe(T + 90 * MIN);
    expect(book.get(b.id)).toBeUndefined();
    expect(book.candidates('m2', 'meeting')).toEqual([]);
    expect(book.inZone('lounge').map((h) => h.booking.id)).toEqual([c.id]);
    book.apply(msg('snapshot', [b]));
    expect(book.all().map((h) => h.booking.id)).toEqual([b.id]);
    expect(book.candidates('m1', 'meeting')).toEqual([]);
    expect(book.zones()).toEqual(['meeting']);
  });

  it('a message that does not validate changes nothing', () => {
    const book = open();
    const a = booking();
    book.apply(msg('snapshot', [a]));
    expect(book.apply({ ...msg('snapshot', [booking({ end: T - 1 })]) })).toMatchObject({ ok: false });
    expect(book.apply({ type: 'bookings', kind: 'snapshot', upserts: [{ ...a, id: 'not-a-uuid' }], removals: [] })).toMatchObject({ ok: false });
    expect(book.apply({ type: 'bookings', kind: 'snapshot' })).toMatchObject({ ok: false });
    expect(book.apply({ type: 'commissioning', minutes: 5, by: 'x' })).toMatchObject({ ok: false });
    expect(book.all().map((h) => h.booking)).toEqual([a]);
    expect(restart().all().map((h) => h.booking)).toEqual([a]);
  });

  it('keeps bookings and the facts observed through a restart', () => {
    let book = open();
    const [a, b] = [booking(), booking({ start: T + 2 * 60 * MIN, end: T + 3 * 60 * MIN })];
    book.apply(msg('snapshot', [a, b]));
    expect(book.addFact(checkIn(a, T + MIN))).toBe(true);
    expect(book.addFact(checkIn(a, T + MIN))).toBe(false);
    book = restart();
    expect(book.all().map((h) => h.booking.id).sort()).toEqual([a.id, b.id].sort());
    expect(book.factsOf(a.id)).toEqual([checkIn(a, T + MIN)]);
    expect(book.state(a.id, T + 30 * MIN)).toEqual({ state: 'checked-in', checkedInAt: T + MIN });
    book.apply(msg('delta', [], [b.id]));
    book = restart();
    expect(book.get(b.id)).toBeUndefined();
  });

  it('an offline check-in survives a later snapshot that predates it', () => {
    const book = open();
    const a = booking();
    book.apply(msg('snapshot', [a]));
    book.addFact(checkIn(a, T + 2 * MIN));
    // The cloud's first snapshot after reconnect, built before the uploaded check-in reached it.
    book.apply(msg('snapshot', [{ ...a }]));
    expect(book.state(a.id, T + 20 * MIN)?.state).toBe('checked-in');
    expect(restart().state(a.id, T + 20 * MIN)?.state).toBe('checked-in');
  });

  it('refuses a fact about a booking it does not hold', () => {
    const book = open();
    expect(book.addFact(checkIn(booking(), T))).toBe(false);
    expect(book.factsOf(randomUUID())).toEqual([]);
  });

  it('drops bookings well past their end, with their facts, and keeps the others', () => {
    let book = open();
    const [done, later] = [booking(), booking({ start: T + 4 * 60 * MIN, end: T + 5 * 60 * MIN })];
    book.apply(msg('snapshot', [done, later]));
    book.addFact(checkIn(done, T));
    expect(book.prune(done.end + BOOKING_KEEP_AFTER_END_MS)).toEqual([]);
    expect(book.prune(done.end + BOOKING_KEEP_AFTER_END_MS + 1)).toEqual([done.id]);
    expect(book.factsOf(done.id)).toEqual([]);
    book = restart();
    expect(book.all().map((h) => h.booking.id)).toEqual([later.id]);
    expect(book.factsOf(done.id)).toEqual([]);
  });

  it('answers a member and zone from its index only', () => {
    const book = open();
    const mine = booking();
    book.apply(msg('snapshot', [mine, ...Array.from({ length: 500 }, (_, i) => booking({ memberId: `other-${i}` }))]));
    expect(book.candidates('m1', 'meeting').map((h) => h.booking.id)).toEqual([mine.id]);
    expect(book.activeFor('m1', 'meeting', T)?.booking.id).toBe(mine.id);
    expect(book.activeFor('m1', 'meeting', T - 6 * MIN)).toBeUndefined();
    expect(book.candidates(undefined, 'meeting')).toEqual([]);
  });
});

describe('booking book against the shared rule (fixed seed)', () => {
  const ids: string[] = [randomUUID(), randomUUID(), randomUUID()];
  const bookingArb = fc
    .record({
      id: fc.constantFrom(...ids),
      memberId: fc.constantFrom('m1', 'm2'),
      start: fc.integer({ min: T, max: T + 60 * MIN }),
      length: fc.integer({ min: 15 * MIN, max: 90 * MIN }),
      state: fc.constantFrom('booked' as const, 'checked-in' as const, 'released' as const, 'cancelled' as const, 'completed' as const),
      stamp: fc.option(fc.integer({ min: 0, max: 40 * MIN }), { nil: undefined }),
      graceMs: fc.integer({ min: 0, max: 20 * MIN }),
      earlyMs: fc.integer({ min: 0, max: 10 * MIN }),
    })
    .map((r): EdgeBooking => {
      const b = booking({ id: r.id, memberId: r.memberId, start: r.start, end: r.start + r.length, state: r.state, graceMs: r.graceMs, earlyMs: r.earlyMs });
      if (r.stamp !== undefined && r.state === 'checked-in') b.checkedInAt = r.start + r.stamp;
      if (r.stamp !== undefined && r.state === 'released') b.releasedAt = r.start + r.stamp;
      return b;
    });
  const step = fc.oneof(
    fc.record({ t: fc.constant('snapshot' as const), upserts: fc.array(bookingArb, { maxLength: 3 }) }),
    fc.record({ t: fc.constant('delta' as const), upserts: fc.array(bookingArb, { maxLength: 2 }), removals: fc.subarray(ids, { maxLength: 2 }) }),
    fc.record({
      t: fc.constant('fact' as const),
      id: fc.constantFrom(...ids),
      kind: fc.constantFrom('check-in' as const, 'release' as const),
      source: fc.constantFrom('grant' as const, 'motion' as const, 'kiosk' as const, 'no-show' as const, 'empty' as const),
    }),
    fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20 * MIN }) }),
  );

  it('gives every booking it holds the state resolveBooking gives the latest cloud booking and every fact observed', () => {
    const store = { load: () => ({ bookings: [], facts: [] }), replace: async () => undefined, change: async () => undefined, addFact: async () => undefined, prune: async () => undefined };
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const book = new BookingBook(store as unknown as BookingStore);
        const cloud = new Map<string, EdgeBooking>();
        const facts = new Map<string, BookingFact[]>();
        let now = T - 10 * MIN;
        for (const s of steps) {
          if (s.t === 'advance') now += s.ms;
          else if (s.t === 'fact') {
            const f: BookingFact = { bookingId: s.id, kind: s.kind, at: now, source: s.source };
            if (cloud.has(s.id)) facts.set(s.id, [...(facts.get(s.id) ?? []), f]);
            expect(book.addFact(f)).toBe(cloud.has(s.id) && !(facts.get(s.id) ?? []).slice(0, -1).some((g) => g.kind === f.kind && g.source === f.source && g.at === f.at));
          } else {
            const removals = s.t === 'delta' ? s.removals : [];
            expect(book.apply(msg(s.t, s.upserts, removals))).toMatchObject({ ok: true });
            if (s.t === 'snapshot') cloud.clear();
            for (const id of removals) cloud.delete(id);
            for (const b of s.upserts) if (!removals.includes(b.id)) cloud.set(b.id, b);
          }
          expect(book.all().map((h) => h.booking.id).sort()).toEqual([...cloud.keys()].sort());
          for (const [id, b] of cloud) expect(book.state(id, now)).toEqual(resolveBooking(b, facts.get(id) ?? [], now));
        }
      }),
      { seed: 4217, numRuns: 300 },
    );
  });
});
