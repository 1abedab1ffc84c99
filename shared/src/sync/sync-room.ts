import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { MAX_DOC_BYTES, MAX_WS_MESSAGE_BYTES } from '../protocol/limits';

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
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface SyncRoomOptions {
  /**
   * Called synchronously with every change to the document before it is broadcast, so a store can
   * append it durably first. Throwing refuses the change's sender (the room is then unusable).
   */
  persist?: (update: Uint8Array) => void;
  maxMessageBytes?: number;
  maxDocBytes?: number;
  /** current persisted size, to enforce `maxDocBytes` without re-encoding the document */
  initialBytes?: number;
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
  private bytes: number;
  private failed = false;

  constructor(
    readonly doc: Y.Doc,
    private readonly options: SyncRoomOptions = {},
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_WS_MESSAGE_BYTES;
    this.maxDocBytes = options.maxDocBytes ?? MAX_DOC_BYTES;
    this.bytes = options.initialBytes ?? 0;
    this.awareness = new awarenessProtocol.Awareness(doc);
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
        return awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(dec), peer);
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
      peer.send(encoding.toUint8Array(enc));
      return;
    }
    if (subtype !== syncProtocol.messageYjsSyncStep2 && subtype !== syncProtocol.messageYjsUpdate) {
      throw new Error(`unknown sync message ${subtype}`);
    }
    const update = decoding.readVarUint8Array(dec);
    // Threat: a read-only peer (vendor view, admin) changing a document it may only read.
    if (peer.access !== 'write') return;
    if (this.bytes + update.byteLength > this.maxDocBytes) return peer.close(CLOSE.tooLarge, 'document too large');
    Y.applyUpdate(this.doc, update, peer);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (this.options.persist) {
      try {
        this.options.persist(update);
      } catch (err) {
        this.failed = true;
        throw err;
      }
    }
    this.bytes += update.byteLength;
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeUpdate(enc, update);
    const frame = encoding.toUint8Array(enc);
    for (const peer of this.peers.keys()) if (peer !== origin) peer.send(frame);
  };

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
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.peers.clear();
  }
}
