import { MAX_WS_MESSAGE_BYTES, type SiteEvent } from '@cr/shared';
import type { Db } from './db';
import type { GroupCommit } from '@cr/store-kit';
import { ReplayGuard, type ReplayWindow } from './replay-guard';
import { OutboxBatch } from './outbox-batch';
import { HeldEvents, type EventOrigin, type HeldEvent } from './held-events';

export { OutboxBatch } from './outbox-batch';

const SQL = {
  insert: 'INSERT INTO outbox (body) VALUES (?)',
  batch: 'SELECT seq, body FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
  deleteUpTo: 'DELETE FROM outbox WHERE seq <= ?',
  count: 'SELECT COUNT(*) AS n FROM outbox',
} as const;

/**
 * Largest batch in bytes of event JSON: half the link's message limit (MAX_WS_MESSAGE_BYTES), so a
 * batch of large device events still fits in one message with its envelope.
 */
export const MAX_BATCH_BYTES = MAX_WS_MESSAGE_BYTES / 2;

/** Acknowledged rows from which a deletion commits at once rather than riding along with the next commit. */
const EAGER_DELETE_ROWS = 500;

/**
 * `held`: the transaction did not commit (disk full, I/O error); the event is kept in memory and
 * committed once the disk takes writes again. `failed`: not even memory had room; the event is lost.
 */
export type AppendResult = 'stored' | 'held' | 'duplicate' | 'full' | 'failed';

/** Events kept in memory while the disk refuses commits (~50 MB at typical event sizes). */
const MAX_HELD_EVENTS = 100_000;
/** How often a failing disk is tried again with the held events. */
const HELD_RETRY_MS = 250;

export type { EventOrigin } from './held-events';

/**
 * The durable event outbox: every event is appended here before the edge acts on it, uploaded in
 * order, and deleted only after the cloud acknowledged it. Bounded: when full, new events are
 * refused and counted (never silently dropped, never overwriting older unsent events). Appends and
 * deletions are group-committed: a promise settles once its transaction is on disk. Rows are keyed
 * by an ever-growing integer only, so deleting an uploaded batch is one range delete; replays of
 * device events are refused by the ReplayGuard in the same transaction as the append.
 */
export class Outbox {
  private readonly insertStmt;
  private readonly batchStmt;
  private readonly deleteStmt;
  private readonly replay: ReplayGuard;
  private count: number;
  /** appends queued for the next commit */
  private queued = 0;
  /** acknowledged rows whose deletion has not committed yet */
  private deleting = 0;
  /** highest seq the cloud acknowledged (this process); later reads start after it */
  acknowledgedUpTo = 0;
  private deleteQueuedUpTo = 0;
  /** events refused because the outbox was full */
  refused = 0;
  /** events lost to a failed commit with memory full too */
  failed = 0;
  private readonly held = new HeldEvents(MAX_HELD_EVENTS);
  private heldRetry?: NodeJS.Timeout;
  /** called when commits start failing (with the error) and when the disk took every held event again */
  onStorage: (failing: boolean, detail: string) => void = () => undefined;

  constructor(
    db: Db,
    readonly capacity: number,
    private readonly commits: GroupCommit,
    replayWindow?: ReplayWindow,
  ) {
    this.insertStmt = db.prepare(SQL.insert);
    this.batchStmt = db.prepare<[number, number], { seq: number; body: string }>(SQL.batch);
    this.deleteStmt = db.prepare(SQL.deleteUpTo);
    this.count = (db.prepare(SQL.count).get() as { n: number }).n;
    this.replay = new ReplayGuard(db, replayWindow);
  }

  /** Events accepted and not yet acknowledged by the cloud (including those about to commit). */
  get depth(): number {
    return this.count + this.queued - this.deleting + this.held.size;
  }

  /** Events held in memory because the disk refused them (including those being tried on disk again). */
  get heldInMemory(): number {
    return this.held.size + this.retrying;
  }

  /** held events handed to a commit attempt that has not settled yet */
  private retrying = 0;

  /** Whether a device event id was accepted before (held in memory or stored). A disk that cannot be read answers no. */
  seen(deviceEventId: string): boolean {
    if (this.held.has(deviceEventId)) return true;
    try {
      return this.replay.seen(deviceEventId);
    } catch {
      return false;
    }
  }

  /** Fraction of capacity in use (0…1). */
  get fill(): number {
    return this.depth / this.capacity;
  }

  /**
   * Appends durably; resolves after the commit. A device event whose id was seen within the replay
   * window is a `duplicate` and is not stored. Never rejects: a failed commit resolves `failed`.
   */
  append(event: SiteEvent, origin: EventOrigin = 'edge'): Promise<AppendResult> {
    if (this.depth >= this.capacity) {
      this.refused++;
      return Promise.resolve('full');
    }
    const held: HeldEvent = { id: event.id, body: JSON.stringify(event), origin };
    // A resend of a device event still held: still not on disk, so still not acknowledged.
    if (origin === 'device' && this.held.has(event.id)) return Promise.resolve('held');
    // While the disk refuses commits, new events queue behind the held ones: order is kept.
    if (this.held.size > 0) return Promise.resolve(this.hold(held));
    this.queued++;
    return this.commits.run(() => this.write(held)).then(
      (stored): AppendResult => {
        this.queued--;
        if (!stored) return 'duplicate';
        this.count++;
        return 'stored';
      },
      (err: unknown): AppendResult => {
        this.queued--;
        return this.hold(held, err);
      },
    );
  }

  private write(e: HeldEvent): boolean {
    return e.origin === 'device' ? this.replay.claim(e.id, Date.now()) && this.insert(e.body) : this.insert(e.body);
  }

  private hold(event: HeldEvent, err?: unknown): AppendResult {
    if (!this.held.hold(event)) {
      this.failed++;
      return 'failed';
    }
    if (!this.heldRetry) {
      this.onStorage(true, err instanceof Error ? err.message : 'commit failed');
      this.heldRetry = setInterval(() => this.retryHeld(), HELD_RETRY_MS);
      this.heldRetry.unref();
    }
    return 'held';
  }

  /** Tries the held events on disk again, in order, in one transaction. */
  private retryHeld(): void {
    const events = this.held.take();
    if (events.length === 0) return this.recovered();
    this.queued += events.length;
    this.retrying += events.length;
    this.commits.run(() => events.reduce((n, e) => n + (this.write(e) ? 1 : 0), 0)).then(
      (stored) => {
        this.queued -= events.length;
        this.retrying -= events.length;
        this.count += stored;
        if (this.held.size === 0) this.recovered();
      },
      () => {
        this.queued -= events.length;
        this.retrying -= events.length;
        this.held.restore(events);
      },
    );
  }

  private recovered(): void {
    if (this.heldRetry) clearInterval(this.heldRetry);
    this.heldRetry = undefined;
    this.onStorage(false, 'the disk takes writes again');
  }

  /** Stops retrying held events (shutdown); they are lost with the process, as the alert said. */
  close(): void {
    if (this.heldRetry) clearInterval(this.heldRetry);
    this.heldRetry = undefined;
  }

  private insert(body: string): boolean {
    this.insertStmt.run(body);
    return true;
  }

  /**
   * The oldest events after `afterSeq`, in the order they were appended: at most `limit` events and
   * about `maxBytes` of JSON (always at least one event).
   */
  nextBatch(limit: number, afterSeq = 0, maxBytes = MAX_BATCH_BYTES): OutboxBatch | undefined {
    const rows = this.batchStmt.all(afterSeq, limit);
    if (rows.length === 0) return undefined;
    let bytes = 0;
    let n = 0;
    while (n < rows.length) {
      bytes += Buffer.byteLength(rows[n]!.body) + 1;
      if (n > 0 && bytes > maxBytes) break;
      n++;
    }
    const kept = n === rows.length ? rows : rows.slice(0, n);
    return new OutboxBatch(kept[0]!.seq, kept.at(-1)!.seq, kept.map((r) => r.body));
  }

  /**
   * The cloud stored everything up to and including `lastSeq` (`rows` events): deletes it, resolving
   * with the count once committed. Small deletions ride along with the next commit (live traffic:
   * no fsync of their own); a backlog's deletions commit at once, a batch at a time.
   */
  acknowledge(lastSeq: number, rows: number): Promise<number> {
    this.acknowledgedUpTo = Math.max(this.acknowledgedUpTo, lastSeq);
    this.deleting += rows;
    const write = () => this.deleteStmt.run(lastSeq).changes;
    const eager = lastSeq - this.deleteQueuedUpTo >= EAGER_DELETE_ROWS;
    this.deleteQueuedUpTo = Math.max(this.deleteQueuedUpTo, lastSeq);
    // A deletion that fails to commit leaves the rows; the next one covers them (it deletes every
    // row up to its seq), so this never rejects.
    return (eager ? this.commits.run(write) : this.commits.defer(write)).then(
      (deleted) => {
        this.deleting -= rows;
        this.count = Math.max(0, this.count - deleted);
        return deleted;
      },
      () => {
        this.deleting -= rows;
        return 0;
      },
    );
  }

  /** Forgets device event ids past the replay window (a bounded step, riding along with the next commit). */
  pruneReplayIds(now: number): Promise<number> {
    return this.commits.defer(() => this.replay.prune(now));
  }
}
