import type { SiteEvent } from '@cr/shared';
import type { Db } from './db';
import type { GroupCommit } from './group-commit';

const SQL = {
  insert: 'INSERT OR IGNORE INTO outbox (id, body) VALUES (?, ?)',
  batch: 'SELECT seq, body FROM outbox ORDER BY seq LIMIT ?',
  deleteUpTo: 'DELETE FROM outbox WHERE seq <= ?',
  count: 'SELECT COUNT(*) AS n FROM outbox',
} as const;

/** `failed`: the transaction did not commit (disk error); the event is not stored. */
export type AppendResult = 'stored' | 'duplicate' | 'full' | 'failed';

export interface OutboxBatch {
  batchId: string;
  lastSeq: number;
  events: SiteEvent[];
}

/**
 * The durable event outbox: every event is appended here before the edge acts on it, uploaded in
 * order, and deleted only after the cloud acknowledged it. Bounded: when full, new events are
 * refused and counted (never silently dropped, never overwriting older unsent events). Appends are
 * group-committed: the promise settles once the event's transaction is on disk.
 */
export class Outbox {
  private readonly insertStmt;
  private readonly batchStmt;
  private readonly deleteStmt;
  private count: number;
  /** appends queued for the next commit */
  private queued = 0;
  /** events refused because the outbox was full */
  refused = 0;
  /** events lost to a failed commit (disk error) */
  failed = 0;

  constructor(
    db: Db,
    readonly capacity: number,
    private readonly commits: GroupCommit,
  ) {
    this.insertStmt = db.prepare(SQL.insert);
    this.batchStmt = db.prepare<[number], { seq: number; body: string }>(SQL.batch);
    this.deleteStmt = db.prepare(SQL.deleteUpTo);
    this.count = (db.prepare(SQL.count).get() as { n: number }).n;
  }

  /** Events accepted and not yet acknowledged by the cloud (including those about to commit). */
  get depth(): number {
    return this.count + this.queued;
  }

  /** Fraction of capacity in use (0…1). */
  get fill(): number {
    return this.depth / this.capacity;
  }

  /**
   * Appends durably; resolves after the commit. An event id already waiting in the outbox is a
   * duplicate (replay). Never rejects: a failed commit resolves `failed`.
   */
  append(event: SiteEvent): Promise<AppendResult> {
    if (this.depth >= this.capacity) {
      this.refused++;
      return Promise.resolve('full');
    }
    this.queued++;
    const body = JSON.stringify(event);
    return this.commits.run(() => this.insertStmt.run(event.id, body).changes).then(
      (changes): AppendResult => {
        this.queued--;
        if (changes === 0) return 'duplicate';
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

  /** The oldest events, in the order they were appended. */
  nextBatch(limit: number): OutboxBatch | undefined {
    const rows = this.batchStmt.all(limit);
    if (rows.length === 0) return undefined;
    const first = rows[0]!.seq;
    const last = rows.at(-1)!.seq;
    return { batchId: `b${first}-${last}`, lastSeq: last, events: rows.map((r) => JSON.parse(r.body) as SiteEvent) };
  }

  /** Deletes everything up to and including `lastSeq` once the cloud has stored it. */
  acknowledge(lastSeq: number): number {
    const r = this.deleteStmt.run(lastSeq);
    this.count = Math.max(0, this.count - r.changes);
    return r.changes;
  }
}
