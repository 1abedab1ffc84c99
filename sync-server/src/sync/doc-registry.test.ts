import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { CLOSE, MESSAGE_SYNC, type SyncPeer } from '@cr/shared';
import { openDb, type Db } from '../store/db';
import { DocUpdatesStore } from '../store/doc-updates-store';
import { GroupCommit } from '@cr/store-kit';
import { createMetrics } from '../metrics';
import { DocRegistry } from './doc-registry';

/** A console as the room sees it: applies what it is sent, records when it was closed. */
class Console implements SyncPeer {
  readonly doc = new Y.Doc();
  closed?: { code: number; reason: string };
  constructor(readonly access: 'read' | 'write' = 'write') {}
  send(frame: Uint8Array): void {
    const dec = decoding.createDecoder(frame);
    if (decoding.readVarUint(dec) !== MESSAGE_SYNC) return;
    syncProtocol.readSyncMessage(dec, encoding.createEncoder(), this.doc, 'server');
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  /** The frame a provider sends for a local change. */
  edit(change: (doc: Y.Doc) => void): Uint8Array {
    let update: Uint8Array | undefined;
    const grab = (u: Uint8Array) => (update = u);
    this.doc.once('update', grab);
    change(this.doc);
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeUpdate(enc, update!);
    return encoding.toUint8Array(enc);
  }
}

const DOC = 'site:demo:gangnam';
const tick = () => new Promise((r) => setImmediate(r));
let dir: string;
let db: Db;
let store: DocUpdatesStore;
let commits: GroupCommit;
let registry: DocRegistry;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-doc-registry-'));
  db = openDb(join(dir, 'cloud.db'));
  store = new DocUpdatesStore(db);
  commits = new GroupCommit(db, { flushLogOffLoop: true });
  registry = new DocRegistry(store, createMetrics(), { commits });
});
afterEach(async () => {
  await registry.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('document updates under group commit', () => {
  it('appends updates of several documents in one commit and broadcasts them only after it', async () => {
    let groups = 0;
    const counted = new GroupCommit(db, { flushLogOffLoop: true, onCommit: () => groups++ });
    const docs = new DocRegistry(store, createMetrics(), { commits: counted });
    const rooms = [];
    for (const name of ['site:demo:gangnam', 'site:demo:hongdae']) {
      const live = await docs.open(name);
      const [writer, watcher] = [new Console(), new Console()];
      live.room.join(writer);
      live.room.join(watcher);
      rooms.push({ name, live, writer, watcher });
    }
    for (const r of rooms) r.live.room.receive(r.writer, r.writer.edit((d) => d.getMap('state').set('door', 'open')));
    for (const r of rooms) {
      expect(r.watcher.doc.getMap('state').has('door')).toBe(false);
      expect(store.stats(r.name).rows).toBe(0);
    }
    await tick();
    expect(groups).toBe(1);
    await counted.whenDurable();
    for (const r of rooms) {
      expect(store.stats(r.name).rows).toBe(1);
      expect(r.watcher.doc.getMap('state').get('door')).toBe('open');
    }
    docs.close();
  });

  it('delivers a run of edits to every console in the order they were made', async () => {
    const live = await registry.open(DOC);
    const writer = new Console();
    const watcher = new Console();
    live.room.join(writer);
    live.room.join(watcher);
    const seen: number[] = [];
    watcher.doc.getArray<number>('log').observe((e) => seen.push(...(e.changes.delta.flatMap((d) => d.insert ?? []) as number[])));
    for (let i = 0; i < 5; i++) {
      live.room.receive(writer, writer.edit((d) => d.getArray('log').push([i])));
      if (i === 2) await tick();
    }
    await commits.whenDurable();
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('commits a change the cloud makes before mutate returns, and nothing for a mutation that changed nothing', async () => {
    await registry.mutate(DOC, (doc) => doc.getMap('meta').set('name', 'Gangnam'));
    expect(store.stats(DOC).rows).toBe(1);
    const live = await registry.open(DOC);
    const writer = new Console();
    live.room.join(writer);
    live.room.receive(writer, writer.edit((d) => d.getMap('state').set('door', 'open')));
    await registry.mutate(DOC, (doc) => doc.getMap("meta").get("name"));
    // The console's update stays queued for its group commit instead of being forced out now.
    expect(commits.pending).toBe(1);
    await commits.whenDurable();
    expect(store.stats(DOC).rows).toBe(2);
  });

  it('broadcasts nothing when the commit fails and closes the sender and the other consoles', async () => {
    const live = await registry.open(DOC);
    const writer = new Console();
    const watcher = new Console();
    live.room.join(writer);
    live.room.join(watcher);
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`);
    live.room.receive(writer, writer.edit((d) => d.getMap('state').set('door', 'open')));
    // Something else in the same group makes the commit fail (as a full disk would).
    commits.run(() => db.prepare('INSERT INTO child VALUES (1)').run()).catch(() => undefined);
    await tick();
    await tick();
    expect(watcher.doc.getMap('state').has('door')).toBe(false);
    expect(writer.closed).toEqual({ code: CLOSE.serverError, reason: 'document could not be saved' });
    expect(watcher.closed?.code).toBe(CLOSE.serverError);
    expect(store.stats(DOC).rows).toBe(0);
    // The next console gets the document as stored, without the lost change.
    expect((await registry.open(DOC)).doc.getMap('state').has('door')).toBe(false);
  });

  it('does not unload a document while its append is still queued', async () => {
    const live = await registry.open(DOC);
    const writer = new Console();
    live.room.join(writer);
    live.room.receive(writer, writer.edit((d) => d.getMap('state').set('door', 'open')));
    live.room.leave(writer);
    expect(registry.sweepIdle(Date.now() + 3_600_000)).toBe(0);
    await commits.whenDurable();
    expect(registry.sweepIdle(Date.now() + 3_600_000)).toBe(1);
    expect((await registry.open(DOC)).doc.getMap('state').get('door')).toBe('open');
  });
});
