import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../store/db';
import { DocUpdatesStore } from '../store/doc-updates-store';
import { createMetrics } from '../metrics';
import { DocRegistry, type DocFanout } from './doc-registry';

const DOC = 'site:demo:gangnam';

/**
 * Two instances serving one document from one store (CONTRACT §10): what one stores reaches the
 * other through the fan-out, and what the fan-out lost is read back from the store.
 */
describe('documents shared by two instances', () => {
  let dir: string;
  let db: Db;
  let a: DocRegistry;
  let b: DocRegistry;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-doc-fanout-'));
    db = openDb(join(dir, 'cloud.db'));
    a = new DocRegistry(new DocUpdatesStore(db), createMetrics());
    b = new DocRegistry(new DocUpdatesStore(db), createMetrics());
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fan-out that delivers to `to`, or drops everything while `lost` is set (a Redis outage). */
  const link = (to: DocRegistry) => {
    const state = { lost: false, published: [] as number[] };
    const fanout: DocFanout = {
      publishUpdate: async (doc, seq, update) => {
        state.published.push(seq);
        if (!state.lost) to.applyRemote(doc, update);
      },
      publishAwareness: (doc, update) => {
        if (!state.lost) to.applyRemoteAwareness(doc, update);
      },
    };
    return { fanout, state };
  };

  it('publishes each change once it is stored, and the other instance applies it without storing it again', async () => {
    const { fanout, state } = link(b);
    a.useFanout(fanout);
    await b.open(DOC);
    await a.mutate(DOC, (d) => d.getMap('doors').set('lobby', 'locked'));
    expect(state.published).toHaveLength(1);
    expect(await b.read(DOC, (d) => d.getMap('doors').get('lobby'))).toBe('locked');
    // One row: b served the change to its peers but did not append it a second time.
    expect(new DocUpdatesStore(db).stats(DOC).rows).toBe(1);
  });

  it('catches up from the store on what the fan-out lost, and only on that', async () => {
    const { fanout, state } = link(b);
    a.useFanout(fanout);
    await b.open(DOC);
    state.lost = true;
    for (let i = 0; i < 5; i++) await a.mutate(DOC, (d) => d.getArray('log').push([i]));
    expect(await b.read(DOC, (d) => d.getArray('log').length)).toBe(0);
    expect(await b.catchUp()).toBe(5);
    expect(await b.read(DOC, (d) => d.getArray('log').toArray())).toEqual([0, 1, 2, 3, 4]);
    // Nothing new: the next pass reads nothing.
    expect(await b.catchUp()).toBe(0);
  });

  it('shows presence of the other instance’s peers', async () => {
    const { fanout } = link(b);
    a.useFanout(fanout);
    const live = await a.open(DOC);
    const remote = await b.open(DOC);
    const person = new awarenessProtocol.Awareness(new Y.Doc());
    person.setLocalState({ name: '김운영', looking: 'gangnam' });
    awarenessProtocol.applyAwarenessUpdate(
      live.room.awareness,
      awarenessProtocol.encodeAwarenessUpdate(person, [person.clientID]),
      'a peer',
    );
    expect(remote.room.awareness.getStates().get(person.clientID)).toEqual({ name: '김운영', looking: 'gangnam' });
  });

  it('ignores an unreadable update from another instance and keeps serving the document', async () => {
    await b.open(DOC);
    b.applyRemote(DOC, new Uint8Array([255, 1, 2, 3]));
    await b.mutate(DOC, (d) => d.getMap('doors').set('lobby', 'open'));
    expect(await b.read(DOC, (d) => d.getMap('doors').get('lobby'))).toBe('open');
  });
});
