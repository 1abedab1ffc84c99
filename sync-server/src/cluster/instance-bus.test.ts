import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createCloudLog } from '../log';
import { busPrefix, dropKeys, eventually, redisGate, TEST_REDIS_URL } from '../testing/cloud-instances';
import { openRedisInstanceBus, type InstanceBus } from './instance-bus';

const log = createCloudLog({ level: 'silent' });
const TIMEOUT_MS = 400;

describe.runIf(redisGate.available())('instance bus over Redis', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  const prefixes: string[] = [];
  const raws: Redis[] = [];

  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    for (const r of raws.splice(0)) r.disconnect();
    for (const p of prefixes.splice(0)) await dropKeys(TEST_REDIS_URL, p);
  });

  async function instances(ids: string[], claimTtlMs?: number): Promise<{ prefix: string; bus: InstanceBus[] }> {
    const prefix = busPrefix();
    prefixes.push(prefix);
    const bus: InstanceBus[] = [];
    for (const instanceId of ids) {
      const b = await openRedisInstanceBus(TEST_REDIS_URL, {
        prefix,
        instanceId,
        log,
        deliverTimeoutMs: TIMEOUT_MS,
        claimTtlMs,
      });
      open.push(b);
      bus.push(b);
    }
    return { prefix, bus };
  }

  async function rawClient(): Promise<Redis> {
    const r = new Redis(TEST_REDIS_URL);
    raws.push(r);
    await r.ping();
    return r;
  }

  /** Claims are sent without waiting: a ping on the same connection answers after them. */
  const settled = (...buses: InstanceBus[]) => Promise.all(buses.map((b) => b.ping()));

  it('delivers to the instance holding the link, and its answer comes back', async () => {
    const { bus } = await instances(['a', 'b']);
    const [a, b] = bus;
    const got: Array<[string, unknown]> = [];
    a!.onDeliver((key, payload) => got.push([key, payload]) > 0);
    b!.onDeliver(() => {
      throw new Error('b holds no link');
    });
    a!.claimLink('acme/gangnam');
    await settled(a!);
    const msg = { type: 'command', id: 'c-1', body: { door: 'front', open: true } };
    expect(await b!.deliver('acme/gangnam', msg)).toBe('sent');
    expect(got).toEqual([['acme/gangnam', msg]]);
    // The owner's own deliveries stay local.
    expect(await a!.deliver('acme/gangnam', 'local')).toBe('sent');
    expect(got.at(-1)).toEqual(['acme/gangnam', 'local']);
  });

  it('says not delivered when the owner’s handler refuses, fails or is not registered', async () => {
    const { bus } = await instances(['a', 'b', 'c']);
    const [a, b, c] = bus;
    a!.onDeliver(() => false);
    b!.onDeliver(async () => {
      throw new Error('socket gone');
    });
    a!.claimLink('t/refuses');
    b!.claimLink('t/fails');
    c!.claimLink('t/nobody-listens');
    await settled(a!, b!, c!);
    expect(await c!.deliver('t/refuses', 1)).toBe('offline');
    expect(await c!.deliver('t/fails', 1)).toBe('offline');
    expect(await a!.deliver('t/nobody-listens', 1)).toBe('offline');
  });

  it('says not delivered for a link nobody holds or that was released', async () => {
    const { bus } = await instances(['a', 'b']);
    const [a, b] = bus;
    const got: unknown[] = [];
    a!.onDeliver((_k, p) => got.push(p) > 0);
    expect(await b!.deliver('acme/nowhere', 1)).toBe('offline');
    a!.claimLink('acme/hongdae');
    await settled(a!);
    expect(await b!.deliver('acme/hongdae', 1)).toBe('sent');
    a!.releaseLink('acme/hongdae');
    await settled(a!);
    expect(await b!.deliver('acme/hongdae', 2)).toBe('offline');
    expect(got).toEqual([1]);
  });

  it('a release leaves the claim of the instance that holds the newer link', async () => {
    const { bus } = await instances(['a', 'b', 'c']);
    const [a, b, c] = bus;
    const got: string[] = [];
    a!.onDeliver(() => got.push('a') > 0);
    b!.onDeliver(() => got.push('b') > 0);
    a!.claimLink('acme/seongsu');
    await settled(a!);
    // The site reconnected to b; a learns only later that its old link is gone.
    b!.claimLink('acme/seongsu');
    await settled(b!);
    a!.releaseLink('acme/seongsu');
    await settled(a!);
    expect(await c!.deliver('acme/seongsu', 1)).toBe('sent');
    expect(got).toEqual(['b']);
  });

  it('never hangs on an owner that died: gone from Redis, silent, or stuck', async () => {
    const { prefix, bus } = await instances(['a', 'b', 'stuck']);
    const [a, b, stuck] = bus;
    a!.onDeliver(() => true);
    stuck!.onDeliver(() => new Promise<boolean>(() => undefined));
    a!.claimLink('t/died');
    stuck!.claimLink('t/stuck');
    await settled(a!, stuck!);
    // a closes; its claim is then put back as if it had died without releasing it.
    await a!.close();
    const redis = await rawClient();
    await redis.set(`${prefix}:link:t/died`, 'a', 'PX', 30_000);
    await redis.set(`${prefix}:link:t/ghost`, 'instance-that-never-was', 'PX', 30_000);
    // A process that listens on the owner's channel and never answers.
    const zombie = await rawClient();
    await zombie.subscribe(`${prefix}:inst:zombie`);
    await redis.set(`${prefix}:link:t/zombie`, 'zombie', 'PX', 30_000);
    // Nobody listens for the dead and the ghost: offline. The zombie and the stuck owner took the
    // message and never answered: unanswered, since the edge may have it.
    const expected = { 't/died': 'offline', 't/ghost': 'offline', 't/zombie': 'unanswered', 't/stuck': 'unanswered' } as const;
    for (const [key, answer] of Object.entries(expected)) {
      const started = Date.now();
      expect(await b!.deliver(key, { hello: key })).toBe(answer);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 500);
    }
    // The stuck owner's own delivery does not hang either.
    expect(await stuck!.deliver('t/stuck', 1)).toBe('offline');
  });

  it('a closed instance releases its claims, and a claim outlives a dead instance only for its time to live', async () => {
    const { prefix, bus } = await instances(['a', 'b'], 600);
    const [a, b] = bus;
    a!.onDeliver(() => true);
    a!.claimLink('t/one');
    a!.claimLink('t/two');
    await settled(a!);
    // Refreshed while a lives: still held well after the first time to live.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await b!.deliver('t/one', 1)).toBe('sent');
    await a!.close();
    const redis = await rawClient();
    expect(await redis.exists(`${prefix}:link:t/one`, `${prefix}:link:t/two`)).toBe(0);
    await redis.set(`${prefix}:link:t/dead`, 'a', 'PX', 600);
    await eventually(() => redis.exists(`${prefix}:link:t/dead`), (n) => n === 0, 2_000);
  });

  it('broadcasts to every other instance, never to itself, and stops when unsubscribed', async () => {
    const { bus } = await instances(['a', 'b', 'c']);
    const got: Array<[string, unknown, string]> = [];
    const off = bus.map((x) => x.onBroadcast('edge.permissions', (p, from) => got.push([x.instanceId, p, from])));
    bus[0]!.onBroadcast('other-topic', (p) => got.push(['a-other', p, '']));
    await settled(...bus);
    await bus[0]!.broadcast('edge.permissions', { tenantId: 'acme' });
    await eventually(() => got.length, (n) => n >= 2, 1_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(got.sort()).toEqual([
      ['b', { tenantId: 'acme' }, 'a'],
      ['c', { tenantId: 'acme' }, 'a'],
    ]);
    got.length = 0;
    off[2]!();
    await settled(...bus);
    await bus[1]!.broadcast('edge.permissions', { tenantId: 'beta' });
    await eventually(() => got.length, (n) => n >= 1, 1_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual([['a', { tenantId: 'beta' }, 'b']]);
  });

  it('a handler that throws does not keep a broadcast from the others', async () => {
    const { bus } = await instances(['a', 'b']);
    const got: unknown[] = [];
    bus[1]!.onBroadcast('t', () => {
      throw new Error('broken handler');
    });
    bus[1]!.onBroadcast('t', (p) => got.push(p));
    await settled(...bus);
    await bus[0]!.broadcast('t', 1);
    await bus[0]!.broadcast('t', 2);
    await eventually(() => got, (g) => g.length === 2, 1_000);
    expect(got).toEqual([1, 2]);
  });
});
