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
  async function pair(): Promise<[CloudInstance, CloudInstance]> {
    prefix = busPrefix();
    const opts = { prefix, catchUpMs: 600_000 };
    const a = await startInstance(db.url, TEST_REDIS_URL, 'cloud-a', opts);
    const b = await startInstance(db.url, TEST_REDIS_URL, 'cloud-b', opts);
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
});
