import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createCloudLog } from '../log';
import { busPrefix, dropKeys, eventually, redisGate, TEST_REDIS_URL } from '../testing/cloud-instances';
import { openRedisDocBus, type DocBus, type RemoteDocUpdate, type RemotePresence } from './doc-bus';

const log = createCloudLog({ level: 'silent' });

describe.runIf(redisGate.available())('document bus over Redis', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  const prefixes: string[] = [];
  let raw: Redis | undefined;

  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    raw?.disconnect();
    raw = undefined;
    for (const p of prefixes.splice(0)) await dropKeys(TEST_REDIS_URL, p);
  });

  async function buses(n: number, blockMs = 2_000): Promise<{ prefix: string; all: DocBus[] }> {
    const prefix = busPrefix();
    prefixes.push(prefix);
    const all: DocBus[] = [];
    for (let i = 0; i < n; i++) {
      const bus = await openRedisDocBus(TEST_REDIS_URL, { prefix, instanceId: `i${i}`, log, blockMs });
      open.push(bus);
      all.push(bus);
    }
    return { prefix, all };
  }

  function collect(bus: DocBus): { updates: RemoteDocUpdate[]; presence: RemotePresence[]; resyncs: number[] } {
    const got = { updates: [] as RemoteDocUpdate[], presence: [] as RemotePresence[], resyncs: [] as number[] };
    bus.onUpdate((m) => got.updates.push(m));
    bus.onAwareness((m) => got.presence.push(m));
    bus.onResync(() => got.resyncs.push(Date.now()));
    return got;
  }

  async function rawClient(): Promise<Redis> {
    raw = new Redis(TEST_REDIS_URL);
    await raw.ping();
    return raw;
  }

  it('carries a stored change to every other instance, byte for byte, never back to its sender', async () => {
    const { all } = await buses(3);
    const [a, b, c] = all.map(collect);
    const update = new Uint8Array([0, 1, 2, 255, 0, 13, 10]);
    await all[0]!.publishUpdate('site/gangnam', 42, update);
    await eventually(() => b!.updates.length + c!.updates.length, (n) => n === 2, 1_000);
    for (const got of [b!, c!]) {
      expect(got.updates).toHaveLength(1);
      expect({ ...got.updates[0]!, update: [...got.updates[0]!.update] }).toEqual({
        doc: 'site/gangnam',
        seq: 42,
        update: [...update],
        from: 'i0',
      });
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(a!.updates).toEqual([]);
  });

  it('delivers changes in the order they were published', async () => {
    const { all } = await buses(2);
    const b = collect(all[1]!);
    for (let i = 1; i <= 500; i++) await all[0]!.publishUpdate('doc', i, new Uint8Array([i & 0xff]));
    await eventually(() => b.updates.length, (n) => n === 500, 3_000);
    expect(b.updates.map((m) => m.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });

  it('carries presence to the other instances only', async () => {
    const { all } = await buses(2);
    const [a, b] = all.map(collect);
    await all[0]!.ping();
    all[0]!.publishAwareness('site/hongdae', new Uint8Array([9, 8, 7]));
    await eventually(() => b!.presence.length, (n) => n === 1, 1_000);
    expect(b!.presence[0]!.doc).toBe('site/hongdae');
    expect([...b!.presence[0]!.update]).toEqual([9, 8, 7]);
    expect(a!.presence).toEqual([]);
  });

  it('does not read what was published before it opened', async () => {
    const { prefix, all } = await buses(1);
    await all[0]!.publishUpdate('doc', 1, new Uint8Array([1]));
    const late = await openRedisDocBus(TEST_REDIS_URL, { prefix, instanceId: 'late', log });
    open.push(late);
    const got = collect(late);
    await all[0]!.publishUpdate('doc', 2, new Uint8Array([2]));
    await eventually(() => got.updates.length, (n) => n === 1, 1_000);
    expect(got.updates[0]!.seq).toBe(2);
  });

  it('asks for a resync when entries after its position were trimmed before it read them', async () => {
    const { prefix, all } = await buses(2, 100);
    const b = collect(all[1]!);
    await all[0]!.publishUpdate('doc', 1, new Uint8Array([1]));
    await eventually(() => b.updates.length, (n) => n === 1, 1_000);
    // An entry added and trimmed at once: the reader can never have seen it.
    const redis = await rawClient();
    await redis.eval(
      `local id = redis.call('XADD', KEYS[1], '*', 'from', 'i0', 'doc', 'doc', 'seq', '2', 'u', 'x')
       redis.call('XDEL', KEYS[1], id) return id`,
      1,
      `${prefix}:docs`,
    );
    await eventually(() => b.resyncs.length, (n) => n >= 1, 7_000);
    // And it reads on: the next change arrives by the stream.
    await all[0]!.publishUpdate('doc', 3, new Uint8Array([3]));
    await eventually(() => b.updates.map((m) => m.seq), (s) => s.includes(3), 1_000);
    expect(b.updates.map((m) => m.seq)).toEqual([1, 3]);
  }, 10_000);

  it('asks for a resync when the stream vanished, and reads the new one from its start', async () => {
    const { prefix, all } = await buses(2, 100);
    const b = collect(all[1]!);
    await all[0]!.publishUpdate('doc', 1, new Uint8Array([1]));
    await eventually(() => b.updates.length, (n) => n === 1, 1_000);
    const redis = await rawClient();
    await redis.del(`${prefix}:docs`);
    await eventually(() => b.resyncs.length, (n) => n >= 1, 7_000);
    await all[0]!.publishUpdate('doc', 2, new Uint8Array([2]));
    await eventually(() => b.updates.map((m) => m.seq), (s) => s.includes(2), 1_000);
  }, 10_000);

  it('keeps the stream bounded', async () => {
    const prefix = busPrefix();
    prefixes.push(prefix);
    const bus = await openRedisDocBus(TEST_REDIS_URL, { prefix, instanceId: 'i0', log, maxLen: 100 });
    open.push(bus);
    for (let i = 0; i < 2_000; i++) await bus.publishUpdate('doc', i, new Uint8Array(4));
    const redis = await rawClient();
    // MAXLEN ~ trims whole nodes: about the bound, never the whole history.
    expect(await redis.xlen(`${prefix}:docs`)).toBeLessThan(400);
  });

  it('refuses to open when Redis does not answer, naming where without credentials', async () => {
    await expect(
      openRedisDocBus('redis://bus-user:s3cret@127.0.0.1:1', { prefix: busPrefix(), instanceId: 'x', log }),
    ).rejects.toThrow(/127\.0\.0\.1:1/);
    await expect(
      openRedisDocBus('redis://bus-user:s3cret@127.0.0.1:1', { prefix: busPrefix(), instanceId: 'x', log }),
    ).rejects.not.toThrow(/s3cret/);
  });
});
