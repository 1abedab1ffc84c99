import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCloudLog } from '../log';
import { createTestDatabase, TEST_PG_URL } from '../store/postgres/test-database';
import { serviceGate } from '../testing/services';
import { startRedisServer, type PrivateRedis } from '../testing/redis-server';
import { busPrefix, eventually, redisServerInstalled, startInstance, type CloudInstance } from '../testing/cloud-instances';
import { openRedisDocBus } from './doc-bus';
import { openRedisInstanceBus } from './instance-bus';

const pgGate = serviceGate('PostgreSQL', TEST_PG_URL);
const log = createCloudLog({ level: 'silent' });

const valueIn = (i: CloudInstance, doc: string, key: string) => i.docs.read(doc, (d) => d.getMap('site').get(key));

describe.runIf(redisServerInstalled())('a bus whose Redis crashes', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('rejects a publish quickly while Redis is down, and publishes again once it is back', async () => {
    const bus = await openRedisDocBus(redis.url, { prefix: busPrefix(), instanceId: 'a', log });
    const routes = await openRedisInstanceBus(redis.url, { prefix: busPrefix(), instanceId: 'a', log });
    try {
      redis.kill9();
      const started = Date.now();
      await expect(bus.publishUpdate('doc', 1, new Uint8Array([1]))).rejects.toThrow();
      await expect(routes.broadcast('t', 1)).rejects.toThrow();
      expect(await routes.deliver('t/x', 1)).toBe('offline');
      expect(Date.now() - started).toBeLessThan(5_000);
      await redis.restart();
      await eventually(
        () => bus.publishUpdate('doc', 2, new Uint8Array([2])).then(() => true, () => false),
        (ok) => ok,
        5_000,
      );
    } finally {
      await routes.close();
      await bus.close();
    }
  }, 15_000);
});

describe.runIf(pgGate.available() && redisServerInstalled())('instances whose Redis crashes', () => {
  let db: { url: string; drop(): Promise<void> };
  let redis: PrivateRedis;
  let running: CloudInstance[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('cr_outage');
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
    await db?.drop();
  });
  afterEach(async () => {
    for (const i of running.splice(0)) await i.close();
  });

  /** The periodic catch-up is too slow to matter: convergence comes from the resync after the outage. */
  async function pair(): Promise<[CloudInstance, CloudInstance]> {
    const opts = { prefix: busPrefix(), catchUpMs: 600_000, deliverTimeoutMs: 500 };
    const a = await startInstance(db.url, redis.url, 'cloud-a', opts);
    const b = await startInstance(db.url, redis.url, 'cloud-b', opts);
    running = [a, b];
    return [a, b];
  }

  it('after kill -9 and an empty restart, the other instance converges on edits made meanwhile, and the bus carries new ones', async () => {
    const [a, b] = await pair();
    const doc = `site/acme/gangnam/${Date.now()}`;
    await a.docs.open(doc);
    await b.docs.open(doc);
    await a.docs.mutate(doc, (d) => d.getMap('site').set('before', 1));
    await eventually(() => valueIn(b, doc, 'before'), (v) => v === 1, 1_000);

    redis.kill9();
    // Edits while Redis is away are stored all the same; only their news is lost.
    for (let i = 0; i < 5; i++) await a.docs.mutate(doc, (d) => d.getMap('site').set(`during-${i}`, i));
    await new Promise((r) => setTimeout(r, 300));
    expect(await valueIn(b, doc, 'during-4')).toBeUndefined();

    await redis.restart();
    await eventually(() => valueIn(b, doc, 'during-4'), (v) => v === 4, 6_000);
    for (let i = 0; i < 5; i++) expect(await valueIn(b, doc, `during-${i}`)).toBe(i);

    await a.docs.mutate(doc, (d) => d.getMap('site').set('after', 'by stream'));
    await eventually(() => valueIn(b, doc, 'after'), (v) => v === 'by stream', 1_000);
    await b.docs.mutate(doc, (d) => d.getMap('site').set('back', 'by stream'));
    await eventually(() => valueIn(a, doc, 'back'), (v) => v === 'by stream', 1_000);
  }, 20_000);

  it('presence flows again once Redis is back', async () => {
    const [a, b] = await pair();
    const doc = `site/acme/hongdae/${Date.now()}`;
    const there = await b.docs.open(doc);
    const here = await a.docs.open(doc);
    redis.kill9();
    await redis.restart();
    let n = 0;
    await eventually(
      () => {
        here.room.awareness.setLocalState({ user: { name: 'operator at a', n: ++n } });
        return there.room.awareness.getStates().get(here.room.awareness.clientID);
      },
      (s) => s !== undefined,
      5_000,
    );
  }, 15_000);

  it('edge links are claimed again and broadcasts flow again once Redis is back', async () => {
    const [a, b] = await pair();
    const delivered: unknown[] = [];
    a.cluster.instanceBus.onDeliver((_k, p) => delivered.push(p) > 0);
    const heard: unknown[] = [];
    a.cluster.instanceBus.onBroadcast('cluster.test', (p) => heard.push(p));
    a.cluster.instanceBus.claimLink('acme/gangnam');
    await a.cluster.instanceBus.ping();
    expect(await b.cluster.instanceBus.deliver('acme/gangnam', 'before')).toBe('sent');

    redis.kill9();
    await redis.restart();
    // Redis came back empty: the claim is there again without waiting for the periodic refresh.
    await eventually(() => b.cluster.instanceBus.deliver('acme/gangnam', 'after'), (answer) => answer === 'sent', 5_000);
    expect(delivered).toContain('after');
    await eventually(
      async () => {
        await b.cluster.instanceBus.broadcast('cluster.test', 'hello').catch(() => undefined);
        return heard.length;
      },
      (n) => n > 0,
      5_000,
    );
    expect(heard[0]).toBe('hello');
  }, 15_000);
});
