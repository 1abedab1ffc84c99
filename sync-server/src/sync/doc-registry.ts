import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { SyncRoom, type SyncRoomOptions } from '@cr/shared';
import type { GroupCommit } from '@cr/store-kit';
import type { CloudMetrics } from '../metrics';
import { defaultCloudLog, type CloudLog } from '../log';
import { sqlitePort, type DocUpdatesPort } from '../store/ports';
import { DocUpdatesStore, type DocRows } from '../store/doc-updates-store';

/** A document held in memory with the room that serves it. */
export interface LiveDoc {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly room: SyncRoom;
  /** server-side users (routes, views) currently holding it */
  holds: number;
  lastActiveAt: number;
  rowsSinceCompaction: number;
  /** every stored row up to this sequence is applied (the point catch-up reads on from) */
  caughtUpTo: number;
  /** the commit of the latest change, which `mutate` waits for */
  lastCommit: Promise<void>;
}

/**
 * Called after a change was applied (its append queued); `transaction` tells which keys of which
 * types changed, `origin` who made it: the SyncPeer that sent it (carrying its authenticated
 * principal, see `principalOf`), CLOUD_ORIGIN for the cloud's own changes.
 */
export type DocListener = (name: string, doc: Y.Doc, origin: unknown, transaction: Y.Transaction) => void;
/** Called with a presence state a peer announced on a document. */
export type PresenceListener = (name: string, state: unknown, origin: unknown) => void;
/** Called once a document was loaded from the store, before anyone is served from it. */
export type LoadListener = (name: string, doc: Y.Doc) => void;

export interface DocRegistryOptions {
  /** unload a document nobody uses after this long */
  idleMs?: number;
  /** compact once this many updates were appended since the last compaction */
  compactAfterRows?: number;
  maxDocBytes?: number;
  /** share of `maxDocBytes` people may fill; the rest is the site gateway's reserve (SyncRoom default 0.8) */
  peopleShare?: number;
  /**
   * Group commit shared with the event ingest: updates from all sockets in one tick are appended in
   * one transaction and broadcast once it committed. Without it every update commits on its own.
   */
  commits?: GroupCommit;
  /** where failures to read, notify or compact are logged */
  log?: CloudLog;
}

/** Where a durable change is published for the other instances. */
export interface DocFanout {
  publishUpdate(doc: string, seq: number, update: Uint8Array): Promise<void>;
  /** presence (who is looking at what), fire and forget */
  publishAwareness(doc: string, update: Uint8Array): void;
}

/** Origin of changes the cloud itself makes (demo seeding, offline alerts, derived views). */
export const CLOUD_ORIGIN = 'cloud';
/** Origin of changes another instance stored: served to local peers, never stored again. */
export const REMOTE_ORIGIN = 'remote';
const LOAD_ORIGIN = 'load';

/**
 * Loads documents from the store before anyone is served, appends every accepted change durably
 * before it is broadcast (the room holds a change's broadcast until its commit resolved), compacts
 * in the background and unloads idle documents. A document is served only once completely loaded
 * (concurrent opens share one load), and unloading never races a pending write: a document with a
 * commit outstanding is not unloaded. Changes the cloud makes itself (`mutate`) are committed
 * before `mutate` resolves, so a route may answer as soon as it has made them. With other
 * instances (`fanout`), their stored changes are applied as they arrive and, for anything the
 * fan-out lost, read back from the store by `catchUp`.
 */
export class DocRegistry {
  private readonly live = new Map<string, LiveDoc>();
  private readonly loading = new Map<string, Promise<LiveDoc>>();
  /** changes other instances stored, arriving while a document's rows are read */
  private readonly arrivedWhileLoading = new Map<string, Uint8Array[]>();
  private readonly listeners = new Set<DocListener>();
  private readonly loadListeners = new Set<LoadListener>();
  private readonly compactQueue = new Set<string>();
  private compactTimer: NodeJS.Timeout | undefined;
  private readonly idleMs: number;
  private readonly compactAfterRows: number;
  private readonly log: CloudLog;

  private readonly store: DocUpdatesPort;
  /** the SQLite store, written synchronously inside the group commit */
  private readonly sqlite: DocUpdatesStore | undefined;

  constructor(
    store: DocUpdatesStore | DocUpdatesPort,
    private readonly metrics: CloudMetrics,
    private readonly options: DocRegistryOptions = {},
  ) {
    this.sqlite = store instanceof DocUpdatesStore ? store : undefined;
    this.store = store instanceof DocUpdatesStore ? sqlitePort(store) : store;
    if (options.commits && !this.sqlite) throw new Error('a group commit needs the SQLite document store');
    this.idleMs = options.idleMs ?? 60_000;
    this.compactAfterRows = options.compactAfterRows ?? 500;
    this.log = options.log ?? defaultCloudLog();
  }

  /** Calls `fn` after every change to any loaded document. */
  onUpdate(fn: DocListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Calls `fn` with every presence state a peer of this instance announced (`origin`: that peer,
   * carrying its principal); presence relayed from other instances is theirs to observe.
   */
  onPresence(fn: PresenceListener): () => void {
    this.presenceListeners.add(fn);
    return () => this.presenceListeners.delete(fn);
  }

  private readonly presenceListeners = new Set<PresenceListener>();

  /** Calls `fn` whenever a document is loaded (again) from the store. */
  onLoad(fn: LoadListener): () => void {
    this.loadListeners.add(fn);
    return () => this.loadListeners.delete(fn);
  }

  get loadedCount(): number {
    return this.live.size;
  }

  isLoaded(name: string): boolean {
    return this.live.has(name);
  }

  /** Whether anything was ever stored for this document. */
  async exists(name: string): Promise<boolean> {
    return this.live.has(name) || (await this.store.exists(name));
  }

  /** The live document, loading it from the store first if needed. */
  async open(name: string): Promise<LiveDoc> {
    const cur = this.live.get(name);
    if (cur && !cur.room.broken) {
      cur.lastActiveAt = Date.now();
      return cur;
    }
    if (cur) this.drop(cur);
    let pending = this.loading.get(name);
    if (!pending) {
      pending = this.load(name).finally(() => this.loading.delete(name));
      this.loading.set(name, pending);
    }
    return pending;
  }

  private async load(name: string): Promise<LiveDoc> {
    const arrived: Uint8Array[] = [];
    this.arrivedWhileLoading.set(name, arrived);
    let rows: DocRows;
    try {
      rows = await this.store.load(name);
    } finally {
      this.arrivedWhileLoading.delete(name);
    }
    const entry = this.build(name, rows);
    this.live.set(name, entry);
    for (const u of arrived) this.applyRemote(name, u);
    this.metrics.docsLoaded.set(this.live.size);
    for (const fn of this.loadListeners) this.notify(name, () => fn(name, entry.doc));
    if (rows.updates.length > this.compactAfterRows) this.scheduleCompaction(name);
    return entry;
  }

  private build(name: string, rows: DocRows): LiveDoc {
    const doc = new Y.Doc();
    for (const update of rows.updates) {
      try {
        Y.applyUpdate(doc, update, LOAD_ORIGIN);
      } catch (err) {
        // A row that cannot be read must not take every other row of the document down with it.
        this.log.error(
          { doc: name },
          `sync: skipped an unreadable stored update of ${name}: ${(err as Error).message}`,
        );
      }
    }
    const entry: LiveDoc = {
      name,
      doc,
      holds: 0,
      lastActiveAt: Date.now(),
      rowsSinceCompaction: rows.updates.length,
      caughtUpTo: rows.maxSeq,
      lastCommit: Promise.resolve(),
      room: new SyncRoom(doc, {
        initialBytes: rows.bytes,
        maxDocBytes: this.options.maxDocBytes,
        peopleShare: this.options.peopleShare,
        ...this.persistence(() => entry),
      }),
    };
    // Registered after the room's own handler: a change's append is queued (or, without group
    // commit, done) before listeners run, so what they write joins the same commit or a later one.
    // Presence of this instance's peers reaches the other instances' peers of the document.
    entry.room.awareness.on('update', (c: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === REMOTE_ORIGIN) return;
      for (const fn of this.presenceListeners)
        for (const id of [...c.added, ...c.updated]) this.notify(name, () => fn(name, entry.room.awareness.getStates().get(id), origin));
      if (!this.fanout) return;
      const changed = [...c.added, ...c.updated, ...c.removed];
      this.fanout.publishAwareness(name, awarenessProtocol.encodeAwarenessUpdate(entry.room.awareness, changed));
    });
    doc.on('update', (_u: Uint8Array, origin: unknown, _d: Y.Doc, tr: Y.Transaction) => {
      for (const fn of this.listeners) this.notify(name, () => fn(name, doc, origin, tr));
    });
    return entry;
  }

  private notify(name: string, call: () => void): void {
    try {
      call();
    } catch (err) {
      this.log.error({ doc: name, err }, `sync: listener failed for ${name}: ${(err as Error).message}`);
    }
  }

  /**
   * How the room stores changes: in the shared group commit if there is one, else one by one; the
   * room broadcasts a change once it committed. A change another instance stored is not stored again.
   */
  private persistence(entry: () => LiveDoc): Pick<SyncRoomOptions, 'persist' | 'persistDeferred'> {
    const commits = this.options.commits;
    const stored = (update: Uint8Array, origin: unknown): Promise<void> => {
      if (origin === REMOTE_ORIGIN) return Promise.resolve();
      const e = entry();
      const commit = commits
        ? commits.run(() => this.appended(e, update))
        : Promise.resolve(this.store.append(e.name, update)).then((seq) => this.appended(e, update, seq));
      e.lastCommit = commit.then(
        () => undefined,
        () => undefined,
      );
      return commit;
    };
    return { persistDeferred: stored };
  }

  private appended(entry: LiveDoc, update: Uint8Array, seq?: number): void {
    seq ??= this.sqlite!.append(entry.name, update);
    entry.lastActiveAt = Date.now();
    entry.rowsSinceCompaction++;
    if (entry.rowsSinceCompaction >= this.compactAfterRows) this.scheduleCompaction(entry.name);
    this.metrics.updatesPersisted.inc();
    this.metrics.updateBytes.inc(update.byteLength);
    const published = this.fanout?.publishUpdate(entry.name, seq, update).catch((err: unknown) => {
      // The other instances read it from the store when they catch up.
      this.log.warn(
        { doc: entry.name },
        `sync: fan-out of an update of ${entry.name} failed: ${(err as Error).message}`,
      );
    });
    if (published) {
      this.publishing.add(published);
      void published.finally(() => this.publishing.delete(published));
    }
  }

  private readonly publishing = new Set<Promise<void>>();

  /**
   * Joins other cloud instances serving the same documents (CONTRACT §10): every change stored
   * here is published once durable; changes they stored arrive through `applyRemote`.
   */
  useFanout(fanout: DocFanout): void {
    this.fanout = fanout;
  }

  private fanout: DocFanout | undefined;

  /** A change another instance stored: applied to the document if it is loaded here (else it loads from the store). */
  applyRemote(name: string, update: Uint8Array): void {
    const entry = this.live.get(name);
    if (!entry) {
      // Stored after the load read the rows, or before: kept and applied once it is built.
      this.arrivedWhileLoading.get(name)?.push(update);
      return;
    }
    try {
      Y.applyUpdate(entry.doc, update, REMOTE_ORIGIN);
    } catch (err) {
      this.log.error(
        { doc: name },
        `sync: skipped an unreadable update of ${name} from another instance: ${(err as Error).message}`,
      );
    }
  }

  /** Presence another instance's peers sent: shown to this instance's peers of the document. */
  applyRemoteAwareness(name: string, update: Uint8Array): void {
    const entry = this.live.get(name);
    if (!entry) return;
    try {
      awarenessProtocol.applyAwarenessUpdate(entry.room.awareness, update, REMOTE_ORIGIN);
    } catch (err) {
      this.log.warn({ doc: name }, `sync: skipped unreadable presence of ${name} from another instance: ${(err as Error).message}`);
    }
  }

  /**
   * Applies every row stored after what each loaded document has caught up to: what the fan-out
   * lost (a Redis restart, a partition) is read back from the store. Rows of one document commit
   * in sequence order, so "after the highest sequence read" misses nothing.
   */
  async catchUp(): Promise<number> {
    let applied = 0;
    for (const entry of [...this.live.values()]) applied += await this.catchUpEntry(entry);
    return applied;
  }

  private async catchUpEntry(entry: LiveDoc): Promise<number> {
    const rows = await this.store.since(entry.name, entry.caughtUpTo);
    if (rows.updates.length === 0 || this.live.get(entry.name) !== entry) return 0;
    for (const u of rows.updates) this.applyRemote(entry.name, u);
    entry.caughtUpTo = Math.max(entry.caughtUpTo, rows.maxSeq);
    return rows.updates.length;
  }

  /** Every change this instance accepted so far is durable (and handed to the fan-out). */
  async settled(): Promise<void> {
    this.options.commits?.flush();
    await Promise.all([...this.live.values()].map((e) => e.lastCommit));
    await Promise.all([...this.publishing]);
  }

  /** Runs `fn` on the document, held so it is not unloaded meanwhile; changes are persisted as the cloud's. */
  async mutate<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T> {
    const entry = await this.open(name);
    entry.holds++;
    try {
      // Beside other instances, the server's write must follow every change already stored, also
      // one whose news is late (its instance stopping, Redis away): a concurrent write of the same
      // key would be settled by client id, and an older name could win over a newer one.
      if (this.fanout) await this.catchUpEntry(entry);
      let out: T | undefined;
      const queued = this.options.commits?.pending ?? 0;
      const before = entry.lastCommit;
      entry.doc.transact(() => {
        out = fn(entry.doc);
      }, CLOUD_ORIGIN);
      // Durable before the caller answers anyone (and with it whatever else was queued this tick);
      // a mutation that changed nothing (most status refreshes) costs no commit.
      if (this.options.commits && this.options.commits.pending > queued) this.options.commits.flush();
      if (entry.lastCommit !== before) await entry.lastCommit;
      return out as T;
    } finally {
      entry.holds--;
    }
  }

  /** Reads the document without changing it. */
  async read<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T> {
    const entry = await this.open(name);
    return fn(entry.doc);
  }

  private scheduleCompaction(name: string): void {
    this.compactQueue.add(name);
    // Background: off the request path, one document per tick so the event loop stays responsive.
    this.compactTimer ??= setTimeout(() => this.drainCompactions(), 50);
  }

  private drainCompactions(): void {
    this.compactTimer = undefined;
    const name = this.compactQueue.values().next().value;
    if (name === undefined) return;
    this.compactQueue.delete(name);
    void this.compact(name).finally(() => {
      if (this.compactQueue.size > 0 && !this.compactTimer)
        this.compactTimer = setTimeout(() => this.drainCompactions(), 10);
    });
  }

  /**
   * Replaces the stored rows with one update re-encoded from a Y.Doc built from those rows, inside
   * the transaction that deletes them (merging raw updates instead is super-linear).
   */
  async compact(name: string): Promise<void> {
    try {
      const result = await this.store.compact(name, (updates) => {
        const scratch = new Y.Doc();
        for (const u of updates) Y.applyUpdate(scratch, u);
        const merged = Y.encodeStateAsUpdate(scratch);
        scratch.destroy();
        return merged;
      });
      const entry = this.live.get(name);
      if (entry) {
        entry.rowsSinceCompaction = 1;
        entry.room.resetSize(result.after);
      }
      this.metrics.compactions.inc();
    } catch (err) {
      this.log.error({ doc: name }, `sync: compaction of ${name} failed: ${(err as Error).message}`);
    }
  }

  /** Unloads documents nobody has used for `idleMs` (no peers, no server-side holds). */
  sweepIdle(now = Date.now()): number {
    let n = 0;
    for (const entry of [...this.live.values()]) {
      if (entry.room.peerCount > 0 || entry.holds > 0 || now - entry.lastActiveAt < this.idleMs) continue;
      // Unloading before a queued append committed would let a reload miss it.
      if (entry.room.pendingCommits > 0) continue;
      // Compaction works on the stored rows alone: the document need not stay loaded for it.
      if (entry.rowsSinceCompaction > 1) void this.compact(entry.name);
      this.drop(entry);
      n++;
    }
    return n;
  }

  private drop(entry: LiveDoc): void {
    entry.room.destroy();
    entry.doc.destroy();
    this.live.delete(entry.name);
    this.metrics.docsLoaded.set(this.live.size);
  }

  /** Compacts pending documents and unloads everything (shutdown). */
  async close(): Promise<void> {
    if (this.compactTimer) clearTimeout(this.compactTimer);
    for (const name of this.compactQueue) await this.compact(name);
    this.compactQueue.clear();
    for (const entry of [...this.live.values()]) this.drop(entry);
  }
}
