import { MAX_WS_MESSAGE_BYTES, type SiteEvent } from '@cr/shared';
import type { Db } from './db';
import type { GroupCommit } from './group-commit';
import { ReplayGuard, type ReplayWindow } from './replay-guard';
import { OutboxBatch } from './outbox-batch';

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

/** `failed`: the transaction did not commit (disk error); the event is not stored. */
export type AppendResult = 'stored' | 'duplicate' | 'full' | 'failed';

/** `device`: the id is a device's own and is checked against replays; `edge`: a fresh id minted here. */
export type EventOrigin = 'edge' | 'device';

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
  /** events lost to a failed commit (disk error) */
  failed = 0;

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
    return this.count + this.queued - this.deleting;
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
    this.queued++;
    const body = JSON.stringify(event);
    const write = origin === 'device' ? () => this.replay.claim(event.id, Date.now()) && this.insert(body) : () => this.insert(body);
    return this.commits.run(write).then(
      (stored): AppendResult => {
        this.queued--;
        if (!stored) return 'duplicate';
        this.count++;
        return 'stored';
      },
      (): AppendResult => {
        this.queued--;
        this.failed++;
        return 'failed';
      },
    );
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
