import type { SiteEvent } from '@cr/shared';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { EventsStore } from '../events-store';
import { PgEventsStore } from '../postgres/pg-events-store';
import type { PgDb } from '../postgres/pg-db';
import { sqlitePort, type EventsPort } from '../ports';

const storeOf = (b: Backend): EventsPort =>
  b.kind === 'sqlite' ? sqlitePort(new EventsStore(b.db)) : new PgEventsStore(b.pg);

const ev = (id: string, ts: number, type = 'access.granted', extra: Partial<SiteEvent> = {}): SiteEvent => ({
  id,
  type,
  ts,
  ...extra,
});

const DAY = 86_400_000;
const JAN1 = Date.UTC(2024, 0, 1);

/** Every page of a query, following the cursor to the end. */
async function allPages(
  s: EventsPort,
  limit: number,
  q: { type?: string; from?: number; to?: number } = {},
): Promise<SiteEvent[]> {
  const out: SiteEvent[] = [];
  let after: { ts: number; id: string } | undefined;
  for (;;) {
    const page = await s.page({ tenantId: 't1', siteId: 's1', limit, ...q, ...(after ? { after } : {}) });
    out.push(...page);
    if (page.length < limit) return out;
    const last = page[page.length - 1]!;
    after = { ts: last.ts, id: last.id };
  }
}

/** The daily partitions of events (not the default one). */
async function dailyPartitions(pg: PgDb): Promise<string[]> {
  const r = await pg.pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'events'::regclass AND c.relname <> 'events_default' ORDER BY c.relname`,
  );
  return r.rows.map((x) => x.name);
}

/** Partitions outlive the emptying of tables between tests: each partition test starts without any. */
async function dropDailyPartitions(pg: PgDb): Promise<void> {
  for (const name of await dailyPartitions(pg)) await pg.pool.query(`DROP TABLE "${name}"`);
}

/** Which table holds the event `id`. */
async function holder(pg: PgDb, id: string): Promise<string | undefined> {
  const r = await pg.pool.query<{ t: string }>('SELECT tableoid::regclass::text AS t FROM events WHERE id = $1', [id]);
  return r.rows[0]?.t;
}

describeBackends('events store', (current) => {
  it('stores a re-sent batch once and counts its events as duplicates', async () => {
    const s = storeOf(current());
    const batch = [ev('a', 10), ev('b', 20), ev('c', 30)];
    expect(await s.insertBatch('t1', 's1', batch, 1000)).toEqual({ stored: 3, duplicates: 0 });
    expect(await s.insertBatch('t1', 's1', [...batch.slice(0, 2), ev('d', 40)], 2000)).toEqual({
      stored: 1,
      duplicates: 2,
    });
    expect(await s.insertBatch('t1', 's1', batch, 3000)).toEqual({ stored: 0, duplicates: 3 });
    expect((await allPages(s, 100)).map((e) => e.id)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('stores an event repeated inside one batch once, the first time', async () => {
    const s = storeOf(current());
    const r = await s.insertBatch('t1', 's1', [
      ev('a', 10, 'x', { data: { n: 1 } }),
      ev('a', 10, 'x', { data: { n: 2 } }),
      ev('b', 20),
    ]);
    expect(r).toEqual({ stored: 2, duplicates: 1 });
    expect(await s.page({ tenantId: 't1', siteId: 's1', limit: 10 })).toEqual([
      ev('b', 20),
      ev('a', 10, 'x', { data: { n: 1 } }),
    ]);
    expect(await s.insertBatch('t1', 's1', [])).toEqual({ stored: 0, duplicates: 0 });
  });

  it('keeps tenants and sites apart: the same event id is stored once per site', async () => {
    const s = storeOf(current());
    expect(await s.insertBatch('t1', 's1', [ev('a', 10)])).toEqual({ stored: 1, duplicates: 0 });
    expect(await s.insertBatch('t1', 's2', [ev('a', 10)])).toEqual({ stored: 1, duplicates: 0 });
    expect(await s.insertBatch('t2', 's1', [ev('a', 10)])).toEqual({ stored: 1, duplicates: 0 });
    expect(await s.page({ tenantId: 't1', siteId: 's1', limit: 10 })).toEqual([ev('a', 10)]);
    expect(await s.page({ tenantId: 't3', siteId: 's1', limit: 10 })).toEqual([]);
  });

  it('pages newest first and continues after the cursor through equal timestamps', async () => {
    const s = storeOf(current());
    const events = [
      ev('c', 100),
      ev('a', 100),
      ev('e', 100),
      ev('b', 100),
      ev('d', 100),
      ev('y', 200),
      ev('x', 200),
      ev('z', 50),
    ];
    await s.insertBatch('t1', 's1', events);
    const expected = ['y', 'x', 'e', 'd', 'c', 'b', 'a', 'z'];
    for (const limit of [1, 2, 3, 7, 8, 100]) expect((await allPages(s, limit)).map((e) => e.id)).toEqual(expected);
    const first = await s.page({ tenantId: 't1', siteId: 's1', limit: 3 });
    expect(first.map((e) => e.id)).toEqual(['y', 'x', 'e']);
    const next = await s.page({ tenantId: 't1', siteId: 's1', limit: 3, after: { ts: 100, id: 'e' } });
    expect(next.map((e) => e.id)).toEqual(['d', 'c', 'b']);
    const fromGap = await s.page({ tenantId: 't1', siteId: 's1', limit: 10, after: { ts: 100, id: 'bb' } });
    expect(fromGap.map((e) => e.id)).toEqual(['b', 'a', 'z']);
  });

  it('filters pages by type and by a time range (from inclusive, to exclusive)', async () => {
    const s = storeOf(current());
    await s.insertBatch('t1', 's1', [
      ev('a', 10, 'access.granted'),
      ev('b', 20, 'access.denied'),
      ev('c', 30, 'access.granted'),
      ev('d', 40, 'door.forced'),
      ev('e', 50, 'access.granted'),
    ]);
    expect((await allPages(s, 2, { type: 'access.granted' })).map((e) => e.id)).toEqual(['e', 'c', 'a']);
    expect((await allPages(s, 2, { from: 20, to: 50 })).map((e) => e.id)).toEqual(['d', 'c', 'b']);
    expect((await allPages(s, 2, { type: 'access.granted', from: 30 })).map((e) => e.id)).toEqual(['e', 'c']);
    expect((await allPages(s, 2, { to: 10 })).map((e) => e.id)).toEqual([]);
    expect((await allPages(s, 2, { type: 'nothing' })).map((e) => e.id)).toEqual([]);
  });

  it('returns data exactly as written: nested objects, arrays, Korean text, and no keys for absent fields', async () => {
    const s = storeOf(current());
    const data = {
      reason: '출입 거부: 만료된 카드',
      person: { name: '김민지', tags: ['야간', 'VIP'], floor: 3, badge: { active: false, since: null } },
      zones: [{ id: 'lobby', label: '로비' }, { id: 'roof' }],
      ratio: 0.1,
      big: 9_007_199_254_740_991,
      emoji: '🚪🔒',
      quote: 'a "b" \\ c\n',
    };
    await s.insertBatch('t1', 's1', [
      ev('a', 10, 'access.denied', { deviceId: 'reader-1', data }),
      ev('b', 20),
      ev('c', 30, 'x', { data: {} }),
    ]);
    const page = await s.page({ tenantId: 't1', siteId: 's1', limit: 10 });
    expect(page).toEqual([
      ev('c', 30, 'x', { data: {} }),
      ev('b', 20),
      ev('a', 10, 'access.denied', { deviceId: 'reader-1', data }),
    ]);
    expect(Object.keys(page[1]!).sort()).toEqual(['id', 'ts', 'type']);
    expect(JSON.stringify(page[2]!.data)).toBe(JSON.stringify(data));
  });

  it('counts events by type in a time range of one site', async () => {
    const s = storeOf(current());
    await s.insertBatch('t1', 's1', [
      ev('a', 10, 'x'),
      ev('b', 20, 'x'),
      ev('c', 30, 'y'),
      ev('d', 40, 'x'),
      ev('e', 50, 'z'),
    ]);
    await s.insertBatch('t1', 's2', [ev('f', 20, 'x')]);
    expect(await s.countByType('t1', 's1', 10, 50)).toEqual(
      new Map([
        ['x', 3],
        ['y', 1],
      ]),
    );
    expect(await s.countByType('t1', 's1', 20, 41)).toEqual(
      new Map([
        ['x', 2],
        ['y', 1],
      ]),
    );
    expect(await s.countByType('t1', 's1', 60, 70)).toEqual(new Map());
  });

  it('lists device transitions of a range in time order', async () => {
    const s = storeOf(current());
    await s.insertBatch('t1', 's1', [
      ev('a', 30, 'device.online', { deviceId: 'door-1' }),
      ev('b', 10, 'device.offline', { deviceId: 'door-1' }),
      ev('c', 20, 'access.granted', { deviceId: 'door-1' }),
      ev('d', 40, 'device.offline'),
      ev('e', 25, 'device.online', { deviceId: 'door-2' }),
      ev('f', 90, 'device.online', { deviceId: 'door-2' }),
    ]);
    expect(await s.deviceTransitions('t1', 's1', 10, 90)).toEqual([
      { deviceId: 'door-1', type: 'device.offline', ts: 10 },
      { deviceId: 'door-2', type: 'device.online', ts: 25 },
      { deviceId: 'door-1', type: 'device.online', ts: 30 },
      { deviceId: null, type: 'device.offline', ts: 40 },
    ]);
    expect(await s.deviceTransitions('t1', 's2', 0, 100)).toEqual([]);
  });

  it('lists the stored types and deletes old events of one type up to a limit', async () => {
    const s = storeOf(current());
    expect(await s.types()).toEqual([]);
    const old = [0, 1, 2, 3, 4].map((i) => ev(`x${i}`, 100 + i, 'x'));
    await s.insertBatch('t1', 's1', [
      ...old,
      ev('x9', 500, 'x'),
      ev('x8', 200, 'x'),
      ev('y0', 100, 'y'),
      ev('y1', 101, 'y'),
    ]);
    await s.insertBatch('t2', 's9', [ev('x7', 150, 'x'), ev('a0', 1, 'access.granted')]);
    expect(await s.types()).toEqual(['access.granted', 'x', 'y']);
    expect(await s.deleteBefore('x', 200, 4)).toBe(4);
    expect(await s.deleteBefore('x', 200, 4)).toBe(2);
    expect(await s.deleteBefore('x', 200, 4)).toBe(0);
    expect((await allPages(s, 100)).map((e) => e.id)).toEqual(['x9', 'x8', 'y1', 'y0']);
    expect(await s.deleteBefore('y', 1000, 10)).toBe(2);
    expect(await s.types()).toEqual(['access.granted', 'x']);
  });

  it('stores each distinct event of random batches once and pages them in one order', async () => {
    const s = storeOf(current());
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 12 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 6 }),
        async (batches, limit) => {
          const siteId = `p${run++}`;
          // An event's ts is its own: a re-sent id carries the same ts.
          const make = (n: number): SiteEvent =>
            ev(`e${n.toString().padStart(2, '0')}`, 1000 + (n % 4) * 10, n % 2 ? 'x' : 'y', {
              data: { n, 이름: `값${n}` },
            });
          let stored = 0;
          let total = 0;
          for (const b of batches) {
            const r = await s.insertBatch('t1', siteId, b.map(make));
            expect(r.stored + r.duplicates).toBe(b.length);
            stored += r.stored;
            total += b.length;
          }
          const distinct = [...new Set(batches.flat())].map(make);
          expect(stored).toBe(distinct.length);
          expect(total - stored).toBe(batches.flat().length - distinct.length);
          const expected = [...distinct].sort((a, b) => b.ts - a.ts || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
          const pages: SiteEvent[] = [];
          let after: { ts: number; id: string } | undefined;
          for (;;) {
            const page = await s.page({ tenantId: 't1', siteId, limit, ...(after ? { after } : {}) });
            pages.push(...page);
            if (page.length < limit) break;
            after = { ts: page[page.length - 1]!.ts, id: page[page.length - 1]!.id };
          }
          expect(pages).toEqual(expected);
        },
      ),
      { seed: 42, numRuns: 30 },
    );
  });

  it('creates daily partitions once, also when several instances ask at the same moment', async () => {
    const b = current();
    if (b.kind !== 'postgres') return;
    await dropDailyPartitions(b.pg);
    const s = new PgEventsStore(b.pg);
    expect(await s.ensurePartitions(JAN1 + 5 * 3_600_000, 3)).toEqual([
      'events_p20240101',
      'events_p20240102',
      'events_p20240103',
    ]);
    expect(await s.ensurePartitions(JAN1, 3)).toEqual([]);
    expect(await s.ensurePartitions(JAN1 + DAY, 3)).toEqual(['events_p20240104']);
    const results = await Promise.all([
      s.ensurePartitions(JAN1, 7),
      s.ensurePartitions(JAN1, 7),
      s.ensurePartitions(JAN1 + 2 * DAY, 5),
    ]);
    const created = results.flat().sort();
    expect(created).toEqual(['events_p20240105', 'events_p20240106', 'events_p20240107']);
    expect(await dailyPartitions(b.pg)).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => `events_p2024010${d}`));
    await s.insertBatch('t1', 's1', [ev('a', JAN1 + DAY - 1), ev('b', JAN1 + DAY)]);
    expect(await holder(b.pg, 'a')).toBe('events_p20240101');
    expect(await holder(b.pg, 'b')).toBe('events_p20240102');
  });

  it('moves events of a day stored before its partition existed into it, and keeps them queryable', async () => {
    const b = current();
    if (b.kind !== 'postgres') return;
    await dropDailyPartitions(b.pg);
    const s = new PgEventsStore(b.pg);
    await s.insertBatch('t1', 's1', [
      ev('a', JAN1 + 10),
      ev('b', JAN1 + DAY + 10),
      ev('c', JAN1 + 5 * DAY, 'x', { data: { 층: 2 } }),
    ]);
    expect(await holder(b.pg, 'a')).toBe('events_default');
    expect(await s.ensurePartitions(JAN1, 2)).toEqual(['events_p20240101', 'events_p20240102']);
    expect(await holder(b.pg, 'a')).toBe('events_p20240101');
    expect(await holder(b.pg, 'b')).toBe('events_p20240102');
    expect(await holder(b.pg, 'c')).toBe('events_default');
    expect((await allPages(s, 2)).map((e) => e.id)).toEqual(['c', 'b', 'a']);
    expect(await s.insertBatch('t1', 's1', [ev('a', JAN1 + 10), ev('c', JAN1 + 5 * DAY)])).toEqual({
      stored: 0,
      duplicates: 2,
    });
    expect(await s.page({ tenantId: 't1', siteId: 's1', limit: 1 })).toEqual([
      ev('c', JAN1 + 5 * DAY, 'x', { data: { 층: 2 } }),
    ]);
  });

  it('drops whole days before a time and keeps later days', async () => {
    const b = current();
    if (b.kind !== 'postgres') return;
    await dropDailyPartitions(b.pg);
    const s = new PgEventsStore(b.pg);
    await s.ensurePartitions(JAN1, 4);
    await s.insertBatch(
      't1',
      's1',
      [0, 1, 2, 3].map((d) => ev(`d${d}`, JAN1 + d * DAY + 1000)),
    );
    // The day of 2024-01-03 ends after the cutoff: it stays whole.
    expect(await s.dropPartitionsBefore(JAN1 + 2 * DAY + 1)).toEqual(['events_p20240101', 'events_p20240102']);
    expect(await dailyPartitions(b.pg)).toEqual(['events_p20240103', 'events_p20240104']);
    expect((await allPages(s, 10)).map((e) => e.id)).toEqual(['d3', 'd2']);
    expect(await s.dropPartitionsBefore(JAN1 + 2 * DAY)).toEqual([]);
    // A late event of a dropped day is still stored (in the default partition).
    expect(await s.insertBatch('t1', 's1', [ev('late', JAN1 + 10)])).toEqual({ stored: 1, duplicates: 0 });
    expect(await holder(b.pg, 'late')).toBe('events_default');
    expect(await s.dropPartitionsBefore(JAN1 + 10 * DAY)).toEqual(['events_p20240103', 'events_p20240104']);
    expect((await allPages(s, 10)).map((e) => e.id)).toEqual(['late']);
  });
});
