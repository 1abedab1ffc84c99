import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { SiteEvent } from '@cr/shared';
import { startService, type Service } from '@cr/demo/processes';
import { createCloudLog, type CloudLog } from '../log';
import { serviceGate } from '../testing/services';
import { natsServerInstalled, startNatsServer, TEST_NATS_URL, type NatsServer } from '../testing/nats-server';
import { openPostgres, type PgDb } from '../store/postgres/pg-db';
import { PgEventsStore } from '../store/postgres/pg-events-store';
import { createTestDatabase, TEST_PG_URL } from '../store/postgres/test-database';
import { openEventStream, type EventStream, type EventStreamOptions } from './event-stream';
import { eventSubject, siteOfSubject, subjectToken } from './event-subjects';

const natsGate = serviceGate('NATS', TEST_NATS_URL);
const pgGate = serviceGate('PostgreSQL', TEST_PG_URL);
const DAY_MS = 86_400_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(50);
  }
}

function siteEvent(n = 0): SiteEvent {
  return { id: randomUUID(), type: 'door.forced', ts: Date.now(), deviceId: 'door-1', data: { n } };
}
const siteEvents = (count: number) => Array.from({ length: count }, (_, i) => siteEvent(i));

/** Log lines a test can read (warnings and up). */
function capturedLog(): { log: CloudLog; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: createCloudLog({ level: 'warn', destination: { write: (l: string) => void lines.push(l) } }) };
}

describe('event subjects', () => {
  it('escape ids into one token each, so no id names another site or a wildcard', () => {
    const ids = ['acme', 'acme.eu', 'a*', '>', 'a b', 'hq_1-2', '%41', 'ünï', "x!~*'()"];
    for (const tenantId of ids)
      for (const siteId of ids) {
        const subject = eventSubject('cr.events', tenantId, siteId);
        expect(subject.split('.')).toHaveLength(4);
        expect(subject).toMatch(/^cr\.events\.[A-Za-z0-9_%-]+\.[A-Za-z0-9_%-]+$/);
        expect(siteOfSubject('cr.events', subject)).toEqual({ tenantId, siteId });
      }
    expect(eventSubject('p', 'a.b', 'c')).not.toBe(eventSubject('p', 'a', 'b.c'));
    expect(() => subjectToken('')).toThrow();
  });

  it('name no site for subjects they did not write', () => {
    for (const subject of ['cr.events', 'cr.events.a', 'cr.events.a.b.c', 'cr.events.a%zz.b', 'cr.events.%61.b', 'other.a.b'])
      expect(siteOfSubject('cr.events', subject)).toBeUndefined();
  });
});

describe.runIf(natsGate.available())('event stream (NATS JetStream)', () => {
  let admin: NatsConnection;
  let jsm: JetStreamManager;
  const open: EventStream[] = [];
  const streams: string[] = [];

  /** A stream of the test's own: its own name and subjects. */
  function names(): { stream: string; subjectPrefix: string } {
    const suffix = randomBytes(4).toString('hex');
    return { stream: `CR_TEST_${suffix}`, subjectPrefix: `crtest.${suffix}` };
  }

  async function openStream(o: Partial<EventStreamOptions> & { stream: string; subjectPrefix: string }, url = TEST_NATS_URL) {
    const s = await openEventStream(url, { log: createCloudLog({ level: 'silent' }), ...o });
    open.push(s);
    if (url === TEST_NATS_URL) streams.push(o.stream);
    return s;
  }

  const consumerState = async (stream: string) => {
    const ci = await jsm.consumers.info(stream, 'event-writer');
    return { pending: ci.num_pending, ackPending: ci.num_ack_pending };
  };
  const drained = async (stream: string) => {
    const c = await consumerState(stream);
    return c.pending === 0 && c.ackPending === 0 && (await jsm.streams.info(stream)).state.messages === 0;
  };

  beforeAll(async () => {
    admin = await connect({ servers: TEST_NATS_URL });
    jsm = await jetstreamManager(admin);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await Promise.all(streams.splice(0).map((s) => jsm.streams.delete(s).catch(() => undefined)));
  });
  afterAll(async () => {
    await admin?.close();
  });

  it('creates an on-disk work-queue stream with the duplicate window and age limit', async () => {
    const n = names();
    await openStream({ ...n, duplicateWindowMs: 90_000, maxAgeMs: 3 * DAY_MS });
    const c = (await jsm.streams.info(n.stream)).config;
    expect(c).toMatchObject({ retention: 'workqueue', storage: 'file', subjects: [`${n.subjectPrefix}.>`] });
    expect(c.duplicate_window).toBe(90_000 * 1e6);
    expect(c.max_age).toBe(3 * DAY_MS * 1e6);
    // Another instance with other limits updates the same stream.
    await openStream({ ...n, maxAgeMs: 5 * DAY_MS });
    expect((await jsm.streams.info(n.stream)).config.max_age).toBe(5 * DAY_MS * 1e6);
  }, 20_000);

  it('a batch published twice is stored and handed over once; the second publish reports duplicates', async () => {
    const n = names();
    const s = await openStream(n);
    const batch = siteEvents(20);
    expect(await s.publish('acme', 'hq', batch)).toEqual({ stored: 20, duplicates: 0 });
    expect(await s.publish('acme', 'hq', batch)).toEqual({ stored: 0, duplicates: 20 });
    const mixed = [...batch.slice(0, 5), ...siteEvents(5)];
    expect(await s.publish('acme', 'hq', mixed)).toEqual({ stored: 5, duplicates: 5 });

    const first = await jsm.streams.getMessage(n.stream, { seq: 1 });
    const stored = first!.json<SiteEvent>();
    expect(first!.subject).toBe(`${n.subjectPrefix}.acme.hq`);
    expect(first!.header.get('Nats-Msg-Id')).toBe(`acme/hq/${stored.id}`);

    const seen: string[] = [];
    s.consume(async (tenantId, siteId, events) => {
      expect([tenantId, siteId]).toEqual(['acme', 'hq']);
      seen.push(...events.map((e) => e.id));
    });
    await waitFor('all 25 events handed over', () => seen.length >= 25);
    await waitFor('the stream drained', () => drained(n.stream));
    // Acknowledged and gone from the work queue, a batch sent again is still recognised.
    expect(await s.publish('acme', 'hq', batch)).toEqual({ stored: 0, duplicates: 20 });
    await sleep(500);
    expect(seen).toHaveLength(25);
    expect(new Set(seen)).toEqual(new Set(mixed.concat(batch).map((e) => e.id)));
  }, 20_000);

  it('ids holding dots and wildcards reach the handler as they were, on their own subject', async () => {
    const n = names();
    const s = await openStream(n);
    const got: Array<[string, string, string]> = [];
    s.consume(async (t, site, events) => void got.push(...events.map((e) => [t, site, e.id] as [string, string, string])));
    const a = siteEvent();
    await s.publish('acme.eu', 'hq', [a]);
    await s.publish('acme', 'eu.hq', [a]);
    await s.publish('acme', '*', [a]);
    await s.publish('acme', '>', [a]);
    await waitFor('four events', () => got.length >= 4);
    expect(got.sort()).toEqual(
      [
        ['acme.eu', 'hq', a.id],
        ['acme', 'eu.hq', a.id],
        ['acme', '*', a.id],
        ['acme', '>', a.id],
      ].sort(),
    );
    await expect(s.publish('', 'hq', [a])).rejects.toThrow(/empty/);
  }, 20_000);

  it('refuses a batch holding something that is not a site event, and publishes none of it', async () => {
    const n = names();
    const s = await openStream(n);
    const bad = { ...siteEvent(), id: 'not-a-uuid' };
    await expect(s.publish('acme', 'hq', [siteEvent(), bad])).rejects.toThrow(/not a site event/);
    expect((await jsm.streams.info(n.stream)).state.messages).toBe(0);
  }, 20_000);

  it('rejects a publish the stream does not acknowledge', async () => {
    const n = names();
    const s = await openStream({ ...n, requestTimeoutMs: 1_000 });
    await jsm.streams.delete(n.stream);
    await expect(s.publish('acme', 'hq', siteEvents(3))).rejects.toThrow(/3 of 3 events of acme\/hq not stored/);
    await expect(s.ping()).rejects.toThrow();
  }, 20_000);

  it('garbage on the subjects is dropped and never stops the consumer: good events still arrive', async () => {
    const n = names();
    const { log, lines } = capturedLog();
    const s = await openStream({ ...n, log });
    const seen: SiteEvent[] = [];
    s.consume(async (_t, _s, events) => void seen.push(...events));
    const good = eventSubject(n.subjectPrefix, 'acme', 'hq');
    const garbage = fc.sample(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map((data) => ({ subject: good, data })),
        fc.jsonValue().map((v) => ({ subject: good, data: JSON.stringify(v) })),
        fc
          .record(
            {
              id: fc.oneof(fc.string(), fc.constant(randomUUID()), fc.integer()),
              type: fc.oneof(fc.string(), fc.constant('door.forced'), fc.constant('UPPER')),
              ts: fc.oneof(fc.double(), fc.integer({ min: -1e9, max: -1 }), fc.string()),
              deviceId: fc.oneof(fc.constant('door-1'), fc.constant('Bad Id'), fc.integer()),
              data: fc.oneof(fc.constant([1]), fc.constant('x'), fc.constant(null)),
            },
            { requiredKeys: ['data'] },
          )
          .map((v) => ({ subject: good, data: JSON.stringify(v) })),
        fc
          .constantFrom(`${n.subjectPrefix}.acme`, `${n.subjectPrefix}.acme.hq.x`, `${n.subjectPrefix}.a%zz.hq`)
          .map((subject) => ({ subject, data: JSON.stringify(siteEvent()) })),
      ),
      { seed: 20_240_611, numRuns: 200 },
    );
    const js = jetstream(admin);
    for (const g of garbage) await js.publish(g.subject, g.data);
    const events = siteEvents(3);
    await s.publish('acme', 'hq', events);
    await waitFor('the good events', () => seen.length >= 3);
    await waitFor('the garbage terminated, nothing left to deliver', () => drained(n.stream));
    expect(seen).toEqual(events);
    expect(lines.filter((l) => l.includes('message dropped'))).toHaveLength(garbage.length);
  }, 20_000);

  it('close waits for the batch being stored, acknowledges it, and stops consuming', async () => {
    const n = names();
    const s = await openStream(n);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handed: string[] = [];
    s.consume(async (_t, _s, events) => {
      handed.push(...events.map((e) => e.id));
      await gate;
    });
    await s.publish('acme', 'hq', siteEvents(5));
    await waitFor('the batch handed over', () => handed.length === 5);
    let closed = false;
    const closing = s.close().then(() => (closed = true));
    await sleep(300);
    expect(closed).toBe(false);
    release();
    await closing;
    expect(await drained(n.stream)).toBe(true);
    // Nothing is taken off the stream any more.
    const other = await openStream(n);
    await other.publish('acme', 'hq', siteEvents(2));
    await sleep(500);
    expect(handed).toHaveLength(5);
    expect((await consumerState(n.stream)).pending).toBe(2);
  }, 20_000);

  describe.runIf(pgGate.available())('into PostgreSQL', () => {
    let pg: PgDb;
    let store: PgEventsStore;
    let drop: () => Promise<void>;
    let dbUrl: string;

    beforeAll(async () => {
      const db = await createTestDatabase('cr_stream');
      drop = db.drop;
      dbUrl = db.url;
      pg = await openPostgres(db.url, { max: 6 });
      store = new PgEventsStore(pg);
      await store.ensurePartitions(Date.now() - DAY_MS, 3);
    });
    afterAll(async () => {
      await pg?.close();
      await drop?.();
    });

    /** How often each event id of a tenant is stored. */
    async function rowsOf(tenantId: string): Promise<Map<string, number>> {
      const r = await pg.pool.query<{ id: string; n: number }>(
        'SELECT id, COUNT(*)::int AS n FROM events WHERE tenant_id = $1 GROUP BY id',
        [tenantId],
      );
      return new Map(r.rows.map((row) => [row.id, row.n]));
    }
    async function expectStoredOnce(tenantId: string, ids: string[]): Promise<void> {
      const rows = await rowsOf(tenantId);
      expect(rows.size).toBe(ids.length);
      expect([...rows.keys()].sort()).toEqual([...ids].sort());
      expect([...rows.values()].every((c) => c === 1)).toBe(true);
    }

    it('a handler that fails before and after its commit: every event stored exactly once after redelivery', async () => {
      const n = names();
      const tenant = `t${randomBytes(3).toString('hex')}`;
      const s = await openStream(n);
      let calls = 0;
      s.consume(async (tenantId, siteId, events) => {
        calls++;
        if (calls === 1) throw new Error('the store does not answer');
        await store.insertBatch(tenantId, siteId, events);
        if (calls === 2) throw new Error('instance lost between commit and ack');
      });
      const published = await Promise.all(
        ['hq', 'annex'].flatMap((site) => [siteEvents(40), siteEvents(40)].map((b) => s.publish(tenant, site, b).then(() => b))),
      );
      const ids = published.flat().map((e) => e.id);
      await waitFor('160 rows', async () => (await rowsOf(tenant)).size === 160);
      await waitFor('everything acknowledged', () => drained(n.stream));
      await expectStoredOnce(tenant, ids);
      expect(calls).toBeGreaterThan(2);
    }, 30_000);

    it('an instance killed -9 between commit and ack: another stores the batch again, once', async () => {
      const n = names();
      const tenant = `t${randomBytes(3).toString('hex')}`;
      const ackWaitMs = 2_000;
      const s = await openStream({ ...n, ackWaitMs });
      const batch = siteEvents(50);
      await s.publish(tenant, 'hq', batch);
      const lines: string[] = [];
      let writer: Service | undefined = startService({
        name: 'event writer',
        entry: 'sync-server/src/testing/event-writer-process.ts',
        args: ['--nats', TEST_NATS_URL, '--stream', n.stream, '--prefix', n.subjectPrefix, '--store', dbUrl, '--ack-wait', String(ackWaitMs)],
        ready: [/event writer ready/, /stored (\d+) of \d+/],
        readyTimeoutMs: 30_000,
        onLine: (l) => void lines.push(l),
      });
      try {
        await writer.ready.catch((err: Error) => Promise.reject(new Error(`${err.message}\n${lines.join('\n')}`)));
        const committed = [...(await rowsOf(tenant)).keys()];
        expect(committed.length).toBeGreaterThan(0);

        const again: string[] = [];
        s.consume(async (tenantId, siteId, events) => {
          again.push(...events.map((e) => e.id));
          await store.insertBatch(tenantId, siteId, events);
        });
        // The writer still holds its batch (it keeps telling the server it is working on it).
        await sleep(ackWaitMs * 2);
        expect(again.filter((id) => committed.includes(id))).toEqual([]);

        await writer.kill();
        writer = undefined;
        await waitFor('the killed writer’s batch delivered again', () => committed.every((id) => again.includes(id)));
        await waitFor('everything acknowledged', () => drained(n.stream));
        await expectStoredOnce(
          tenant,
          batch.map((e) => e.id),
        );
      } finally {
        await writer?.kill();
      }
    }, 60_000);

    it('two instances on the one durable consumer share the work and store everything once', async () => {
      const n = names();
      const tenant = `t${randomBytes(3).toString('hex')}`;
      const a = await openStream({ ...n, batchSize: 20 });
      const b = await openStream({ ...n, batchSize: 20 });
      const handled = { a: 0, b: 0 };
      const writer = (who: 'a' | 'b') => async (tenantId: string, siteId: string, events: SiteEvent[]) => {
        await sleep(5);
        await store.insertBatch(tenantId, siteId, events);
        handled[who] += events.length;
      };
      a.consume(writer('a'));
      b.consume(writer('b'));
      const ids: string[] = [];
      await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const batch = siteEvents(50);
          ids.push(...batch.map((e) => e.id));
          await (i % 2 === 0 ? a : b).publish(tenant, `site-${i % 6}`, batch);
        }),
      );
      await waitFor('600 rows', async () => (await rowsOf(tenant)).size === 600);
      await waitFor('everything acknowledged', () => drained(n.stream));
      await expectStoredOnce(tenant, ids);
      expect(handled.a).toBeGreaterThan(0);
      expect(handled.b).toBeGreaterThan(0);
      expect(handled.a + handled.b).toBeGreaterThanOrEqual(600);
    }, 30_000);
  });
});

describe.runIf(natsServerInstalled())('event stream across a NATS server crash', () => {
  let server: NatsServer;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('kill -9 of the server: what was acknowledged survives, publishes after the restart succeed, consuming resumes', async () => {
    const suffix = randomBytes(4).toString('hex');
    const s = await openEventStream(server.url, {
      stream: `CR_CRASH_${suffix}`,
      subjectPrefix: `crcrash.${suffix}`,
      requestTimeoutMs: 1_500,
      log: createCloudLog({ level: 'silent' }),
    });
    try {
      const before = siteEvents(30);
      expect(await s.publish('acme', 'hq', before)).toEqual({ stored: 30, duplicates: 0 });
      await server.kill9();

      // While the server is down nothing is acknowledged: the edge keeps the batch and sends it again.
      const during = siteEvents(10);
      await expect(s.publish('acme', 'hq', during)).rejects.toThrow(/not stored/);
      await expect(s.ping()).rejects.toThrow();

      await server.restart();
      await waitFor('the stream answers again', () => s.ping().then(() => true, () => false));
      const after = siteEvents(30);
      expect(await s.publish('acme', 'hq', after)).toEqual({ stored: 30, duplicates: 0 });
      const resent = await s.publish('acme', 'hq', during);
      expect(resent.stored + resent.duplicates).toBe(10);

      const seen = new Map<string, number>();
      s.consume(async (_t, _s, events) => events.forEach((e) => seen.set(e.id, (seen.get(e.id) ?? 0) + 1)));
      const expected = [...before, ...during, ...after].map((e) => e.id);
      await waitFor('every acknowledged event handed over', () => expected.every((id) => seen.has(id)));

      // A second crash while consuming: the consumer carries on after the restart.
      await server.kill9();
      await sleep(300);
      await server.restart();
      await waitFor('the stream answers again', () => s.ping().then(() => true, () => false));
      const later = siteEvents(20);
      await s.publish('acme', 'hq', later);
      await waitFor('events after the second restart handed over', () => later.every((e) => seen.has(e.id)), 20_000);
      expect([...seen.keys()].sort()).toEqual([...expected, ...later.map((e) => e.id)].sort());
      // A batch may be handed over again after a crash (its ack lost); the store keeps it once.
      expect([...seen.values()].every((c) => c >= 1)).toBe(true);
    } finally {
      await s.close();
    }
  }, 60_000);
});
