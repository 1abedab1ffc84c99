import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { MAX_DOC_BYTES, MAX_WS_MESSAGE_BYTES } from '../protocol/limits';
import type { Principal } from '../auth/roles';
import { carriesTelemetry, MAX_TELEMETRY_AWARENESS_BYTES } from '../protocol/telemetry';

/** y-websocket message types. */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** WebSocket close codes the sync endpoints use. */
export const CLOSE = {
  badToken: 4401,
  forbidden: 4403,
  notFound: 4404,
  malformed: 1003,
  tooLarge: 1009,
  serverError: 1011,
} as const;

/** One peer of a room, whatever carries its bytes (a server socket, a test harness). */
export interface SyncPeer {
  /** read: may receive state and send awareness; write: may also change the document */
  readonly access: 'read' | 'write';
  /**
   * Who is on the other end, as the host authenticated them. The peer is the origin of every change
   * it applies, so listeners of the document learn who wrote what (the audit log does). A peer
   * without one counts as a person.
   */
  readonly principal?: Principal;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface SyncRoomOptions {
  /**
   * Called synchronously with every change to the document before it is broadcast, so a store can
   * append it durably first. Throwing refuses the change's sender (the room is then unusable).
   */
  persist?: (update: Uint8Array) => void;
  /**
   * Deferred persistence (group commit), instead of `persist`: called with every change and its
   * origin (the sending peer, or what the host passed to `transact`); returns a promise that
   * resolves once the change is durable. The room holds the change's broadcast, and every later
   * sync answer of this room, until then, so nobody sees a change before it is stored and every
   * peer receives changes in the order they were applied. A rejected promise broadcasts nothing
   * and closes every peer (its sender with "document could not be saved"): the room is then
   * unusable and the host reloads it.
   */
  persistDeferred?: (update: Uint8Array, origin: unknown) => PromiseLike<void>;
  maxMessageBytes?: number;
  maxDocBytes?: number;
  /**
   * Share of `maxDocBytes` that people's writes may fill (default PEOPLE_DOC_SHARE); the rest is
   * kept for the gateway (principal kind `edge`) and the host's own changes, so a flood of notes
   * can never leave the site's edge unable to write a fire alert.
   */
  peopleShare?: number;
  /** largest awareness message a peer may send (default MAX_AWARENESS_BYTES) */
  maxAwarenessBytes?: number;
  /** most awareness client ids one peer may control (default MAX_AWARENESS_CLIENTS) */
  maxAwarenessClients?: number;
  /** current persisted size, to enforce `maxDocBytes` without re-encoding the document */
  initialBytes?: number;
  /**
   * A document whose client id this room's own presence takes (default: the room's document).
   * A host that also announces presence for the same document elsewhere (the edge's cloud link)
   * gives each path its own id, so a console that hears the host on both keeps both clocks apart.
   */
  presenceOf?: Y.Doc;
}

/** Share of the document size limit that people may fill; the rest is the gateway's reserve. */
export const PEOPLE_DOC_SHARE = 0.8;
/** Largest awareness (presence) message: a name, a colour, a cursor, what one is looking at. */
export const MAX_AWARENESS_BYTES = 8 * 1024;
/** Awareness client ids one connection may control (a console has one per open document). */
export const MAX_AWARENESS_CLIENTS = 4;

/** Whether an update carries any item the document does not hold yet (deletions alone do not count). */
function addsItems(doc: Y.Doc, update: Uint8Array): boolean {
  const { to } = Y.parseUpdateMeta(update);
  for (const [client, clock] of to) if (clock > Y.getState(doc.store, client)) return true;
  return false;
}

/**
 * A document shared over the y-websocket wire protocol, independent of the transport. The cloud
 * and the edge both serve documents through it. Read-only peers' sync-step-2 and update messages
 * are dropped (authority comes from document boundaries, not from inspecting updates).
 */
export class SyncRoom {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly peers = new Map<SyncPeer, Set<number>>();
  private readonly maxMessageBytes: number;
  private readonly maxDocBytes: number;
  private readonly peopleBytes: number;
  private readonly maxAwarenessBytes: number;
  private readonly maxAwarenessClients: number;
  private bytes: number;
  private failed = false;
  /** frames waiting for the commits of earlier changes, oldest first (deferred persistence only) */
  private readonly held: HeldFrames[] = [];

  constructor(
    readonly doc: Y.Doc,
    private readonly options: SyncRoomOptions = {},
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_WS_MESSAGE_BYTES;
    this.maxDocBytes = options.maxDocBytes ?? MAX_DOC_BYTES;
    this.peopleBytes = Math.floor(this.maxDocBytes * Math.min(1, Math.max(0, options.peopleShare ?? PEOPLE_DOC_SHARE)));
    this.maxAwarenessBytes = options.maxAwarenessBytes ?? MAX_AWARENESS_BYTES;
    this.maxAwarenessClients = options.maxAwarenessClients ?? MAX_AWARENESS_CLIENTS;
    this.bytes = options.initialBytes ?? 0;
    if (options.persist && options.persistDeferred) throw new Error('give a room persist or persistDeferred, not both');
    this.awareness = new awarenessProtocol.Awareness(options.presenceOf ?? doc);
    this.awareness.setLocalState(null);
    doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  get peerCount(): number {
    return this.peers.size;
  }

  /** Bytes of updates this room has accepted on top of `initialBytes` (reset by `resetSize`). */
  get approxBytes(): number {
    return this.bytes;
  }

  /** Changes applied whose commit has not resolved yet (their broadcasts are held). */
  get pendingCommits(): number {
    return this.held.filter((h) => h.state === 'pending').length;
  }

  /** True once the store failed to persist a change: the host must drop this room and reload it. */
  get broken(): boolean {
    return this.failed;
  }

  /** After compaction the store tells the room the document's real size. */
  resetSize(bytes: number): void {
    this.bytes = bytes;
  }

  /** Adds a peer and starts the handshake: our sync step 1 and the current awareness states. */
  join(peer: SyncPeer): void {
    this.peers.set(peer, new Set());
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(enc, this.doc);
    peer.send(encoding.toUint8Array(enc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) peer.send(this.awarenessFrame(states));
  }

  /** Removes a peer and the presence it controlled. */
  leave(peer: SyncPeer): void {
    const clients = this.peers.get(peer);
    this.peers.delete(peer);
    if (clients && clients.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...clients], null);
  }

  /** Handles one frame from a peer. Malformed or oversized frames close that peer only. */
  receive(peer: SyncPeer, frame: Uint8Array): void {
    if (!this.peers.has(peer)) return;
    if (this.failed) return peer.close(CLOSE.serverError, 'document could not be saved');
    if (frame.byteLength > this.maxMessageBytes) return peer.close(CLOSE.tooLarge, 'message too large');
    try {
      this.dispatch(peer, frame);
    } catch (err) {
      if (this.failed) return peer.close(CLOSE.serverError, 'document could not be saved');
      peer.close(CLOSE.malformed, `malformed sync message: ${(err as Error).message ?? 'unreadable'}`.slice(0, 120));
    }
  }

  private dispatch(peer: SyncPeer, frame: Uint8Array): void {
    const dec = decoding.createDecoder(frame);
    const type = decoding.readVarUint(dec);
    switch (type) {
      case MESSAGE_SYNC:
        return this.handleSync(peer, dec);
      case MESSAGE_AWARENESS:
        return this.handleAwareness(peer, decoding.readVarUint8Array(dec));
      case MESSAGE_QUERY_AWARENESS:
        return peer.send(this.awarenessFrame([...this.awareness.getStates().keys()]));
      case MESSAGE_AUTH:
        return; // auth happens at connection time, never in-band
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  private handleSync(peer: SyncPeer, dec: decoding.Decoder): void {
    const subtype = decoding.readVarUint(dec);
    if (subtype === syncProtocol.messageYjsSyncStep1) {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      syncProtocol.readSyncStep1(dec, enc, this.doc);
      // The answer carries the document as applied: it waits for the commits of what it contains.
      const answer = encoding.toUint8Array(enc);
      this.inOrder(() => this.peers.has(peer) && peer.send(answer));
      return;
    }
    if (subtype !== syncProtocol.messageYjsSyncStep2 && subtype !== syncProtocol.messageYjsUpdate) {
      throw new Error(`unknown sync message ${subtype}`);
    }
    const update = decoding.readVarUint8Array(dec);
    // Threat: a read-only peer (vendor view, admin) changing a document it may only read.
    if (peer.access !== 'write') return;
    // Threat: people filling the document (a flood of notes) until the gateway cannot write a fire
    // alert. Their writes stop at their share; the gateway's reach the whole limit. A message that
    // adds nothing new (a reconnecting reader's sync step 2, a deletion) is never refused.
    const limit = peer.principal?.kind === 'edge' ? this.maxDocBytes : this.peopleBytes;
    if (this.bytes + update.byteLength > limit && addsItems(this.doc, update))
      return peer.close(CLOSE.tooLarge, 'document too large');
    Y.applyUpdate(this.doc, update, peer);
  }

  /**
   * Presence is relayed to every peer: bounded in size and in how many client ids one peer controls.
   * Threat: one connection announcing megabytes of presence, or thousands of fake clients, that every
   * other console must receive and keep.
   */
  private handleAwareness(peer: SyncPeer, update: Uint8Array): void {
    const gateway = peer.principal?.kind === 'edge';
    // The site's gateway announces the live telemetry of every device: its presence may be larger.
    const maxBytes = gateway ? Math.max(this.maxAwarenessBytes, MAX_TELEMETRY_AWARENESS_BYTES) : this.maxAwarenessBytes;
    if (update.byteLength > maxBytes) return peer.close(CLOSE.tooLarge, 'presence too large');
    const owned = this.peers.get(peer)!;
    const dec = decoding.createDecoder(update);
    const count = decoding.readVarUint(dec);
    const states = this.awareness.getStates();
    let fresh = 0;
    for (let i = 0; i < count; i++) {
      const id = decoding.readVarUint(dec);
      decoding.readVarUint(dec);
      const json = decoding.readVarString(dec);
      // Threat: rewriting or removing the presence another console announced (impersonation).
      if (states.has(id) && !owned.has(id)) return;
      // Threat: a console announcing telemetry (a calm temperature, an empty room) that other
      // consoles would show as the gateway's readings. Only the site's gateway connection may.
      if (!gateway && json.includes('telemetry') && carriesTelemetry(JSON.parse(json))) return;
      if (!owned.has(id)) fresh++;
    }
    if (owned.size + fresh > this.maxAwarenessClients) return peer.close(CLOSE.tooLarge, 'too many presence clients');
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, peer);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    let commit: PromiseLike<void> | undefined;
    try {
      this.options.persist?.(update);
      commit = this.options.persistDeferred?.(update, origin);
    } catch (err) {
      this.failed = true;
      throw err;
    }
    this.bytes += update.byteLength;
    // Encoded once; every peer is sent the same bytes.
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeUpdate(enc, update);
    const frame = encoding.toUint8Array(enc);
    const broadcast = (): void => {
      for (const peer of this.peers.keys()) if (peer !== origin) peer.send(frame);
    };
    if (commit) this.holdUntil(commit, broadcast, origin);
    else this.inOrder(broadcast);
  };

  /** Runs `deliver` now, or after the frames already held if commits are outstanding. */
  private inOrder(deliver: () => void): void {
    if (this.held.length === 0) deliver();
    else this.held.push({ state: 'done', deliver });
  }

  private holdUntil(commit: PromiseLike<void>, deliver: () => void, origin: unknown): void {
    const entry: HeldFrames = { state: 'pending', deliver, sender: origin };
    this.held.push(entry);
    commit.then(
      () => this.settle(entry, 'done'),
      () => this.settle(entry, 'failed'),
    );
  }

  private settle(entry: HeldFrames, state: 'done' | 'failed'): void {
    entry.state = state;
    while (this.held.length > 0 && this.held[0]!.state !== 'pending') {
      const next = this.held.shift()!;
      if (next.state === 'done' && !this.failed) next.deliver();
      else if (next.state === 'failed') this.breakRoom(next.sender);
    }
  }

  /**
   * A change could not be stored: its sender is told so (its provider reconnects and sends it
   * again), and every other peer is closed too, since the document in memory now holds a change
   * the store does not; they reconnect to the reloaded document.
   */
  private breakRoom(sender: unknown): void {
    this.failed = true;
    this.held.length = 0;
    for (const peer of [...this.peers.keys()]) {
      this.leave(peer);
      peer.close(CLOSE.serverError, peer === sender ? 'document could not be saved' : 'document is being reloaded');
    }
  }

  private readonly onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    const owned = this.peers.get(origin as SyncPeer);
    if (owned) {
      for (const id of changes.added) owned.add(id);
      for (const id of changes.removed) owned.delete(id);
    }
    const frame = this.awarenessFrame(changed);
    for (const peer of this.peers.keys()) peer.send(frame);
  };

  private awarenessFrame(clients: number[]): Uint8Array {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
    return encoding.toUint8Array(enc);
  }

  /** Detaches from the document; peers should be closed by the caller first. */
  destroy(): void {
    this.held.length = 0;
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.peers.clear();
  }
}

/** A delivery held back behind a commit (its own, or an earlier change's). */
interface HeldFrames {
  state: 'pending' | 'done' | 'failed';
  deliver: () => void;
  /** origin of the change (the peer that sent it), told if its commit fails */
  sender?: unknown;
}
