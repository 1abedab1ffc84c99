import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { CLOSE, MESSAGE_AWARENESS, MESSAGE_SYNC, SyncRoom, type SyncPeer } from './sync-room';
import type { Principal } from '../auth/roles';

const EDGE: Principal = { kind: 'edge', tenantId: 'demo', siteId: 'gangnam' };
const HQ: Principal = { kind: 'user', userId: 'hq', role: 'hq-operator', tenantId: 'demo', siteIds: [] };

/** A client speaking the y-websocket protocol the way the provider does, wired to a room in memory. */
class Client implements SyncPeer {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  closed: { code: number; reason: string } | undefined;

  constructor(
    private readonly room: SyncRoom,
    readonly access: 'read' | 'write',
    readonly principal?: Principal,
  ) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this.room) return;
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      syncProtocol.writeUpdate(enc, update);
      this.room.receive(this, encoding.toUint8Array(enc));
    });
    room.join(this);
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(enc, this.doc);
    room.receive(this, encoding.toUint8Array(enc));
  }

  /** Server → client frames. */
  send(frame: Uint8Array): void {
    const dec = decoding.createDecoder(frame);
    const type = decoding.readVarUint(dec);
    if (type === MESSAGE_SYNC) {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      syncProtocol.readSyncMessage(dec, enc, this.doc, this.room);
      if (encoding.length(enc) > 1) this.room.receive(this, encoding.toUint8Array(enc));
    } else if (type === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(dec), this.room);
    }
  }

  close(code: number, reason: string): void {
    this.closed = { code, reason };
    this.room.leave(this);
  }

  announce(state: Record<string, unknown>): void {
    this.awareness.setLocalState(state);
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
    this.room.receive(this, encoding.toUint8Array(enc));
  }
}

describe('SyncRoom', () => {
  it('converges two writers and brings a late joiner up to date', () => {
    const room = new SyncRoom(new Y.Doc());
    const a = new Client(room, 'write');
    const b = new Client(room, 'write');
    a.doc.getMap('m').set('a', 1);
    b.doc.getMap('m').set('b', 2);
    const late = new Client(room, 'read');
    for (const c of [a, b, late]) expect(c.doc.getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
    expect(room.doc.getMap('m').toJSON()).toEqual({ a: 1, b: 2 });
  });

  it('drops changes from a read-only peer but keeps it updated', () => {
    const room = new SyncRoom(new Y.Doc());
    const writer = new Client(room, 'write');
    const reader = new Client(room, 'read');
    reader.doc.getMap('m').set('evil', true);
    writer.doc.getMap('m').set('ok', true);
    expect(room.doc.getMap('m').toJSON()).toEqual({ ok: true });
    expect(writer.doc.getMap('m').has('evil')).toBe(false);
    expect(reader.doc.getMap('m').get('ok')).toBe(true);
  });

  it('persists every change before other peers see it', () => {
    const log: string[] = [];
    const room = new SyncRoom(new Y.Doc(), { persist: () => log.push('persist') });
    const a = new Client(room, 'write');
    const b = new Client(room, 'write');
    b.doc.on('update', () => log.push('broadcast'));
    a.doc.getMap('m').set('x', 1);
    expect(log).toEqual(['persist', 'broadcast']);
  });

  it('refuses the sender and broadcasts nothing when the store fails', () => {
    const room = new SyncRoom(new Y.Doc(), {
      persist: () => {
        throw new Error('disk full');
      },
    });
    const a = new Client(room, 'write');
    const b = new Client(room, 'write');
    a.doc.getMap('m').set('x', 1);
    expect(a.closed?.code).toBe(CLOSE.serverError);
    expect(b.doc.getMap('m').has('x')).toBe(false);
  });

  it('closes only the peer that sends a malformed or oversized frame', () => {
    const room = new SyncRoom(new Y.Doc(), { maxMessageBytes: 1000 });
    const good = new Client(room, 'write');
    const bad = new Client(room, 'write');
    room.receive(bad, new Uint8Array([0, 9, 9, 9]));
    expect(bad.closed?.code).toBe(CLOSE.malformed);
    const big = new Client(room, 'write');
    room.receive(big, new Uint8Array(2000));
    expect(big.closed?.code).toBe(CLOSE.tooLarge);
    const garbage = new Client(room, 'write');
    room.receive(garbage, new Uint8Array([0, 2, 5, 1, 2, 3, 4, 5]));
    expect(garbage.closed).toBeDefined();
    good.doc.getMap('m').set('still', 'works');
    expect(room.doc.getMap('m').get('still')).toBe('works');
    expect(good.closed).toBeUndefined();
  });

  it('refuses updates that would grow the document past its limit', () => {
    const room = new SyncRoom(new Y.Doc(), { maxDocBytes: 200 });
    const a = new Client(room, 'write');
    a.doc.getMap('m').set('big', 'x'.repeat(500));
    expect(a.closed?.code).toBe(CLOSE.tooLarge);
    expect(room.doc.getMap('m').has('big')).toBe(false);
  });

  it('shares presence and removes it when a peer leaves', () => {
    const room = new SyncRoom(new Y.Doc());
    const a = new Client(room, 'read');
    const b = new Client(room, 'write');
    a.announce({ user: 'hq', viewing: 'alert-1' });
    expect(b.awareness.getStates().get(a.doc.clientID)).toEqual({ user: 'hq', viewing: 'alert-1' });
    room.leave(a);
    expect(room.awareness.getStates().has(a.doc.clientID)).toBe(false);
    expect(b.awareness.getStates().has(a.doc.clientID)).toBe(false);
    expect(room.peerCount).toBe(1);
  });

  describe("the gateway's reserve", () => {
    const note = (c: Client, i: number, size = 900) => c.doc.getMap('notes').set(`n${i}`, 'x'.repeat(size));

    it('stops people at their share of the limit and still takes the edge’s fire alert up to the whole', () => {
      const room = new SyncRoom(new Y.Doc(), { maxDocBytes: 10_000, peopleShare: 0.8 });
      const edge = new Client(room, 'write', EDGE);
      const people = [new Client(room, 'write', HQ), new Client(room, 'write', { ...HQ, userId: 'other' })];
      for (let i = 0; i < 12 && people.every((p) => !p.closed); i++) note(people[i % 2]!, i);
      const refused = people.find((p) => p.closed);
      expect(refused?.closed?.code).toBe(CLOSE.tooLarge);
      expect(room.approxBytes).toBeLessThanOrEqual(8_000);
      edge.doc.getMap('alerts').set('fire', { type: 'fire.alarm', pad: 'y'.repeat(1_200) });
      expect(edge.closed).toBeUndefined();
      expect(room.doc.getMap('alerts').has('fire')).toBe(true);
      expect(room.approxBytes).toBeLessThanOrEqual(10_000);
    });

    it('never refuses a message that adds nothing, so readers reconnect to a full document', () => {
      const room = new SyncRoom(new Y.Doc(), { maxDocBytes: 4_000, peopleShare: 0.5 });
      const edge = new Client(room, 'write', EDGE);
      edge.doc.getMap('m').set('big', 'z'.repeat(2_500));
      // A console that already holds everything joins: its sync step 2 carries the whole delete set but no new item.
      const console = new Client(room, 'write', HQ);
      expect(console.closed).toBeUndefined();
      edge.doc.getMap('m').delete('big');
      const another = new Client(room, 'write', HQ);
      expect(another.closed).toBeUndefined();
      expect(another.doc.getMap('m').has('big')).toBe(false);
    });
  });

  describe('presence limits', () => {
    it('closes a peer announcing oversized presence and keeps the others', () => {
      const room = new SyncRoom(new Y.Doc(), { maxAwarenessBytes: 500 });
      const a = new Client(room, 'read');
      const b = new Client(room, 'read');
      a.announce({ user: 'x'.repeat(2_000) });
      expect(a.closed?.code).toBe(CLOSE.tooLarge);
      expect(room.awareness.getStates().has(a.doc.clientID)).toBe(false);
      b.announce({ user: 'hq' });
      expect(b.closed).toBeUndefined();
    });

    it('refuses a peer inventing many presence clients and one rewriting another’s presence', () => {
      const room = new SyncRoom(new Y.Doc(), { maxAwarenessClients: 2 });
      const victim = new Client(room, 'read');
      victim.announce({ user: 'hq' });
      const forger = new Client(room, 'read');
      const fake = new awarenessProtocol.Awareness(new Y.Doc());
      fake.clientID = victim.doc.clientID;
      fake.setLocalState({ user: 'not hq' });
      fake.setLocalState({ user: 'not hq', again: true });
      const frame = (aw: awarenessProtocol.Awareness, ids: number[]) => {
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(aw, ids));
        return encoding.toUint8Array(enc);
      };
      room.receive(forger, frame(fake, [victim.doc.clientID]));
      expect(room.awareness.getStates().get(victim.doc.clientID)).toEqual({ user: 'hq' });
      const many = new awarenessProtocol.Awareness(new Y.Doc());
      const states = new Map<number, { user: string }>([1, 2, 3].map((id) => [1_000_000 + id, { user: `bot-${id}` }]));
      for (const [id, st] of states) {
        many.states.set(id, st);
        many.meta.set(id, { clock: 1, lastUpdated: 0 });
      }
      room.receive(forger, frame(many, [...states.keys()]));
      expect(forger.closed?.code).toBe(CLOSE.tooLarge);
      expect([...states.keys()].some((id) => room.awareness.getStates().has(id))).toBe(false);
    });
  });

  describe('with deferred persistence (group commit)', () => {
    /** A store whose commits the test settles by hand, in any order. */
    function manualStore() {
      const commits: Array<{ update: Uint8Array; origin: unknown; resolve: () => void; reject: (e: Error) => void }> = [];
      const persist = (update: Uint8Array, origin: unknown) =>
        new Promise<void>((resolve, reject) => commits.push({ update, origin, resolve, reject }));
      return { commits, persist };
    }
    const settled = () => new Promise((r) => setTimeout(r, 0));

    it('broadcasts a change only after its commit resolved', async () => {
      const store = manualStore();
      const room = new SyncRoom(new Y.Doc(), { persistDeferred: store.persist });
      const a = new Client(room, 'write');
      const b = new Client(room, 'write');
      a.doc.getMap('m').set('x', 1);
      expect(store.commits).toHaveLength(1);
      expect(store.commits[0]!.origin).toBe(a);
      await settled();
      expect(b.doc.getMap('m').has('x')).toBe(false);
      expect(room.pendingCommits).toBe(1);
      store.commits[0]!.resolve();
      await settled();
      expect(b.doc.getMap('m').get('x')).toBe(1);
      expect(room.pendingCommits).toBe(0);
    });

    it('keeps the order of changes even when a later commit resolves first', async () => {
      const store = manualStore();
      const room = new SyncRoom(new Y.Doc(), { persistDeferred: store.persist });
      const a = new Client(room, 'write');
      const seen: unknown[] = [];
      const b = new Client(room, 'read');
      b.doc.getArray('log').observe((e) => seen.push(...e.changes.delta.flatMap((d) => d.insert ?? [])));
      a.doc.getArray('log').push(['first']);
      a.doc.getArray('log').push(['second']);
      store.commits[1]!.resolve();
      await settled();
      expect(seen).toEqual([]);
      store.commits[0]!.resolve();
      await settled();
      expect(seen).toEqual(['first', 'second']);
    });

    it('answers a joining peer with content only once that content is stored', async () => {
      const store = manualStore();
      const room = new SyncRoom(new Y.Doc(), { persistDeferred: store.persist });
      const a = new Client(room, 'write');
      a.doc.getMap('m').set('x', 1);
      const late = new Client(room, 'read');
      await settled();
      expect(late.doc.getMap('m').has('x')).toBe(false);
      store.commits[0]!.resolve();
      await settled();
      expect(late.doc.getMap('m').get('x')).toBe(1);
    });

    it('broadcasts nothing when a commit fails and closes its sender and the other peers', async () => {
      const store = manualStore();
      const room = new SyncRoom(new Y.Doc(), { persistDeferred: store.persist });
      const a = new Client(room, 'write');
      const b = new Client(room, 'write');
      a.doc.getMap('m').set('x', 1);
      store.commits[0]!.reject(new Error('disk full'));
      await settled();
      expect(b.doc.getMap('m').has('x')).toBe(false);
      expect(a.closed).toEqual({ code: CLOSE.serverError, reason: 'document could not be saved' });
      expect(b.closed?.code).toBe(CLOSE.serverError);
      expect(room.broken).toBe(true);
      expect(room.peerCount).toBe(0);
      // A peer that still reaches the broken room is refused rather than served a state the store lacks.
      const again = new Client(room, 'write');
      expect(again.closed?.code).toBe(CLOSE.serverError);
    });
  });
});
