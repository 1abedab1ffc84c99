import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

const pgGate = serviceGate('PostgreSQL', TEST_PG_URL);

const valueIn = (i: CloudInstance, doc: string, key: string) => i.docs.read(doc, (d) => d.getMap('site').get(key));

describe.runIf(pgGate.available() && redisGate.available())('instances sharing documents over Redis and PostgreSQL', () => {
  let db: { url: string; drop(): Promise<void> };
  let running: CloudInstance[] = [];
  let prefix: string;

  beforeAll(async () => {
    db = await createTestDatabase('cr_cluster');
  });
  afterAll(async () => {
    await db?.drop();
  });
  afterEach(async () => {
    for (const i of running.splice(0)) await i.close();
    await dropKeys(TEST_REDIS_URL, prefix);
  });

  /** Two instances whose periodic catch-up is too slow to matter: what arrives, arrived by the bus. */
  async function pair(bLoadLagMs?: number): Promise<[CloudInstance, CloudInstance]> {
    prefix = busPrefix();
    const opts = { prefix, catchUpMs: 600_000 };
    const a = await startInstance(db.url, TEST_REDIS_URL, 'cloud-a', opts);
    const b = await startInstance(db.url, TEST_REDIS_URL, 'cloud-b', { ...opts, loadLagMs: bLoadLagMs });
    running = [a, b];
    return [a, b];
  }

  it('an edit on one instance shows in the other’s loaded copy within a second, both ways', async () => {
    const [a, b] = await pair();
    const doc = `site/acme/gangnam/${prefix}`;
    await a.docs.open(doc);
    await b.docs.open(doc);
    await a.docs.mutate(doc, (d) => d.getMap('site').set('mode', 'closed'));
    expect(await eventually(() => valueIn(b, doc, 'mode'), (v) => v === 'closed', 1_000)).toBe('closed');
    await b.docs.mutate(doc, (d) => d.getMap('site').set('fire', 'alarm'));
    expect(await eventually(() => valueIn(a, doc, 'fire'), (v) => v === 'alarm', 1_000)).toBe('alarm');
    // Stored once each, by the instance that made it: loading afresh gives both edits.
    await a.docs.close();
    expect(await valueIn(a, doc, 'mode')).toBe('closed');
    expect(await valueIn(a, doc, 'fire')).toBe('alarm');
  });

  it('a document not loaded on the other instance is read from the store when it is opened there', async () => {
    const [a, b] = await pair();
    const doc = `site/acme/hongdae/${prefix}`;
    await a.docs.mutate(doc, (d) => d.getMap('site').set('mode', 'open'));
    expect(b.docs.isLoaded(doc)).toBe(false);
    expect(await valueIn(b, doc, 'mode')).toBe('open');
  });

  it('presence of one instance’s peers shows on the other', async () => {
    const [a, b] = await pair();
    const doc = `site/acme/seongsu/${prefix}`;
    const there = await b.docs.open(doc);
    const here = await a.docs.open(doc);
    here.room.awareness.setLocalState({ user: { name: 'operator at a' } });
    const state = await eventually(
      () => there.room.awareness.getStates().get(here.room.awareness.clientID),
      (s) => s !== undefined,
      1_000,
    );
    expect(state).toEqual({ user: { name: 'operator at a' } });
  });

  it('a server write follows every stored change, also one whose news was lost: the newer name wins on every instance', async () => {
    const [a, b] = await pair();
    // A's news is lost, as when it stops while Redis is away: B learns of A's change only from the store.
    a.docs.useFanout({ publishUpdate: () => Promise.reject(new Error('bus away')), publishAwareness: () => undefined });
    // Concurrent writes of one key are settled by client id: over many documents either order shows.
    const docs = Array.from({ length: 16 }, (_, i) => `site/acme/zone-${i}/${prefix}`);
    for (const doc of docs) {
      await a.docs.open(doc);
      await b.docs.open(doc);
      await a.docs.mutate(doc, (d) => d.getMap('site').set('name', 'Rolling 1'));
      await b.docs.mutate(doc, (d) => d.getMap('site').set('name', 'Rolling 2'));
    }
    await a.docs.catchUp();
    await b.docs.catchUp();
    for (const doc of docs) {
      expect(await valueIn(a, doc, 'name')).toBe('Rolling 2');
      expect(await valueIn(b, doc, 'name')).toBe('Rolling 2');
    }
  });

  it('a change published while the other instance reads the document from the store reaches its copy', async () => {
    // B's reads of the store answer 30 ms after they ran: A's changes meanwhile come only as news.
    const [a, b] = await pair(30);
    const docs = Array.from({ length: 5 }, (_, i) => `site/acme/busy-${i}/${prefix}`);
    let writing = true;
    let n = 0;
    const writer = (async () => {
      while (writing) {
        n++;
        for (const doc of docs) await a.docs.mutate(doc, (d) => d.getMap('site').set(`k${n}`, n));
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    for (const doc of docs) await b.docs.open(doc);
    await new Promise((r) => setTimeout(r, 100));
    writing = false;
    await writer;
    // Every change B missed would wait for a catch-up that, here, never comes.
    for (const doc of docs) {
      const keys = await eventually(() => b.docs.read(doc, (d) => d.getMap('site').size), (v) => v === n, 2_000);
      expect(keys).toBe(n);
    }
  });
});
