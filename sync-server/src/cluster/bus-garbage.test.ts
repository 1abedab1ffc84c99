import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { createTestDatabase, TEST_PG_URL } from '../store/postgres/test-database';
import { serviceGate } from '../testing/services';
import {
  busPrefix,
  dropKeys,
  eventually,
  redisGate,
  startInstance,
  TEST_REDIS_URL,
  type CloudInstance,
} from '../testing/cloud-instances';
import { encodePresence } from './doc-bus-codec';

const pgGate = serviceGate('PostgreSQL', TEST_PG_URL);

/** Bytes, text, numbers that are not quite numbers, and now and then something far too large. */
const value = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), weight: 4 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 3 },
  { arbitrary: fc.constantFrom('', '-1', '1e309', 'NaN', '99999999999999999999', '0x10', ' 7', '\uFFFD'), weight: 2 },
  { arbitrary: fc.constant(Buffer.alloc(1_500_000, 0xff)), weight: 1 },
);
const fieldName = fc.oneof(
  fc.constantFrom('from', 'doc', 'seq', 'u', 'U', 'from '),
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b) => Buffer.from(b)),
);

/** A stream entry with wrong, missing or mistyped fields, or shaped like a change but carrying garbage. */
const entry = (decoy: string) =>
  fc.oneof(
    fc.array(fc.tuple(fieldName, value), { minLength: 1, maxLength: 6 }),
    fc
      .tuple(fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 1e9 }))
      .map(([u, seq]): Array<[string, string | Buffer]> => [
        ['from', 'cloud-x'],
        ['doc', decoy],
        ['seq', String(seq)],
        ['u', Buffer.from(u)],
      ]),
  );

/** JSON of every shape, requests and replies with mistyped fields, and plain text. */
const jsonish = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
  fc.string({ maxLength: 80 }),
  fc.record({ id: fc.oneof(fc.string(), fc.integer()), ok: fc.oneof(fc.boolean(), fc.string()) }).map((v) => JSON.stringify(v)),
  fc
    .record({ id: fc.string(), key: fc.string(), payload: fc.jsonValue(), replyTo: fc.oneof(fc.string(), fc.constant(null)) })
    .map((v) => JSON.stringify(v)),
  fc.record({ from: fc.oneof(fc.string(), fc.integer()), payload: fc.jsonValue() }).map((v) => JSON.stringify(v)),
  fc.constant('x'.repeat(1_500_000)),
);

describe.runIf(pgGate.available() && redisGate.available())('garbage on the buses', () => {
  let db: { url: string; drop(): Promise<void> };
  let prefix: string;
  let a: CloudInstance;
  let b: CloudInstance;
  let raw: Redis;
  const doc = 'site/acme/gangnam';
  const decoy = 'site/acme/decoy';
  const delivered: unknown[] = [];
  const heard: unknown[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('cr_garbage');
    prefix = busPrefix();
    const opts = { prefix, catchUpMs: 600_000, deliverTimeoutMs: 1_000 };
    a = await startInstance(db.url, TEST_REDIS_URL, 'cloud-a', opts);
    b = await startInstance(db.url, TEST_REDIS_URL, 'cloud-b', opts);
    for (const i of [a, b]) {
      await i.docs.open(doc);
      await i.docs.open(decoy);
    }
    b.cluster.instanceBus.onDeliver((_k, p) => delivered.push(p) > 0);
    b.cluster.instanceBus.onBroadcast('cluster.garbage', (p) => heard.push(p));
    b.cluster.instanceBus.claimLink('acme/gangnam');
    await b.cluster.instanceBus.ping();
    raw = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    raw?.disconnect();
    await b?.close();
    await a?.close();
    await dropKeys(TEST_REDIS_URL, prefix);
    await db?.drop();
  });

  it('skips what it cannot read and goes on carrying changes, presence, deliveries and broadcasts', async () => {
    const channels = [
      `${prefix}:awareness`,
      `${prefix}:inst:cloud-b`,
      `${prefix}:reply:cloud-a`,
      `${prefix}:bcast:cluster.garbage`,
      `${prefix}:bcast:edge.permissions`,
      `${prefix}:bcast:edge.message`,
      `${prefix}:bcast:edge.drop-token`,
    ];
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry(decoy), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.constantFrom(...channels), fc.oneof(jsonish, fc.uint8Array({ maxLength: 300 }).map((x) => Buffer.from(x)))), {
          maxLength: 10,
        }),
        fc.array(fc.uint8Array({ maxLength: 120 }), { maxLength: 3 }),
        async (entries, messages, presence) => {
          round++;
          for (const fields of entries) await raw.xadd(`${prefix}:docs`, '*', ...fields.flat());
          for (const [channel, message] of messages) await raw.publish(channel, message);
          for (const u of presence) await raw.publish(`${prefix}:awareness`, encodePresence('cloud-x', decoy, u));

          await a.docs.mutate(doc, (d) => d.getMap('site').set('round', round));
          await eventually(() => b.docs.read(doc, (d) => d.getMap('site').get('round')), (v) => v === round, 2_000);

          expect(await a.cluster.instanceBus.deliver('acme/gangnam', { round })).toBe('sent');
          expect(delivered).toContainEqual({ round });

          await a.cluster.instanceBus.broadcast('cluster.garbage', { round });
          await eventually(() => heard.some((h) => JSON.stringify(h) === JSON.stringify({ round })), (ok) => ok, 1_000);

          a.cluster.docBus.publishAwareness(doc, new Uint8Array([0]));
          await b.cluster.docBus.ping();
        },
      ),
      { seed: 20261206, numRuns: 12, endOnFailure: true },
    );
    // Both copies agree after all of it.
    const here = await a.docs.read(doc, (d) => d.getMap('site').toJSON());
    expect(await b.docs.read(doc, (d) => d.getMap('site').toJSON())).toEqual(here);
  }, 60_000);
});
