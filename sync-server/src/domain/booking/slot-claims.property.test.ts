import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { holdsSlot, overlaps } from '@cr/shared';
import { openDb } from '../../store/db';
import { BookingsStore } from '../../store/bookings-store';
import { BookingResourcesStore } from '../../store/booking-resources-store';
import type { BookingRecord } from '../../store/booking-records';
import { settled } from './slot-claims';

/**
 * The conflict rule under any interleaving: creates, cancels, late check-in facts and the no-show
 * sweep, in random order on one resource. Whatever happens, no two bookings hold overlapping time,
 * and once every slot is over each booking has a final state.
 */
const MIN = 60_000;
const T0 = Date.UTC(2030, 0, 1, 1);

type Op =
  | { kind: 'create'; slot: number; length: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'check-in'; pick: number; offsetMin: number }
  | { kind: 'late-check-in'; pick: number; offsetMin: number }
  | { kind: 'tick'; minutes: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), slot: fc.integer({ min: 0, max: 16 }), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('check-in' as const), pick: fc.nat(), offsetMin: fc.integer({ min: -5, max: 20 }) }),
  fc.record({ kind: fc.constant('late-check-in' as const), pick: fc.nat(), offsetMin: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ kind: fc.constant('tick' as const), minutes: fc.integer({ min: 1, max: 25 }) }),
);

function world() {
  const db = openDb(':memory:');
  const bookings = new BookingsStore(db);
  new BookingResourcesStore(db).put({ tenantId: 't', siteId: 's', id: 'room', kind: 'meeting-room', name: 'Room', zoneId: 'z', capacity: 4, rules: {} });
  const ids: string[] = [];
  let now = T0 - 30 * MIN;
  const all = (): BookingRecord[] => ids.map((id) => bookings.byId('t', id)!);
  const sweep = () => {
    for (const b of bookings.due(now)) bookings.settle('t', b.id, now);
  };
  const apply = (o: Op) => {
    if (o.kind === 'tick') {
      now += o.minutes * MIN;
      return sweep();
    }
    if (o.kind === 'create') {
      const start = T0 + o.slot * 15 * MIN;
      const b: BookingRecord = { id: randomUUID(), tenantId: 't', siteId: 's', resourceId: 'room', memberId: `m${ids.length}`, start, end: start + o.length * 15 * MIN, state: 'booked', graceMs: 15 * MIN, earlyMs: 5 * MIN, createdAt: now, createdBy: 'u', version: 1 };
      if ('booking' in bookings.insert(b, now)) ids.push(b.id);
      return;
    }
    // A late check-in targets a booking the cloud released as a no-show: the case the rule is for.
    const pool = o.kind === 'late-check-in' ? all().filter((b) => b.state === 'released' && b.checkedInAt === undefined).map((b) => b.id) : ids;
    const id = pool[o.pick % Math.max(1, pool.length)];
    if (!id) return;
    if (o.kind === 'cancel') return void bookings.cancel('t', id, 'cancelled', now);
    // A fact observed by an offline edge, uploaded late (possibly after the cloud released the booking).
    const b = bookings.byId('t', id)!;
    bookings.addFacts('t', [{ bookingId: id, kind: 'check-in', at: b.start + o.offsetMin * MIN, source: 'grant' }], now);
    bookings.settle('t', id, now);
  };
  const holdingOverlaps = (): Array<[string, string]> => {
    const holding = all().filter((b) => holdsSlot(settled(b, bookings.facts('t', b.id), now).state));
    const out: Array<[string, string]> = [];
    for (const a of holding) for (const b of holding) if (a.id < b.id && overlaps(a.start, a.end, b.start, b.end)) out.push([a.id, b.id]);
    return out;
  };
  const finish = () => {
    now = T0 + 24 * 60 * MIN;
    sweep();
  };
  return { apply, holdingOverlaps, finish, all };
}

describe('conflict rule (property)', () => {
  it('never leaves two overlapping holding bookings, and ends every booking in a final state', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 80 }), (ops) => {
        const w = world();
        for (const o of ops) {
          w.apply(o);
          expect(w.holdingOverlaps()).toEqual([]);
        }
        w.finish();
        for (const b of w.all()) expect(['released', 'cancelled', 'completed']).toContain(b.state);
      }),
      { seed: 20_260_115, numRuns: 150 },
    );
  }, 30_000);
});
