import type { SiteEvent } from '@cr/shared';
import type { Db } from './db';

const SQL = {
  insert: 'INSERT OR IGNORE INTO outbox (id, body) VALUES (?, ?)',
  batch: 'SELECT seq, body FROM outbox ORDER BY seq LIMIT ?',
  deleteUpTo: 'DELETE FROM outbox WHERE seq <= ?',
  count: 'SELECT COUNT(*) AS n FROM outbox',
} as const;

export type AppendResult = 'stored' | 'duplicate' | 'full';

export interface OutboxBatch {
  batchId: string;
  lastSeq: number;
  events: SiteEvent[];
}

/**
 * The durable event outbox: every event is appended here before the edge acts on it, uploaded in
 * order, and deleted only after the cloud acknowledged it. Bounded: when full, new events are
 * refused and counted (never silently dropped, never overwriting older unsent events).
 */
export class Outbox {
  private readonly insertStmt;
  private readonly batchStmt;
  private readonly deleteStmt;
  private count: number;
  /** events refused because the outbox was full */
  refused = 0;

  constructor(
    db: Db,
    readonly capacity: number,
  ) {
    this.insertStmt = db.prepare(SQL.insert);
    this.batchStmt = db.prepare<[number], { seq: number; body: string }>(SQL.batch);
    this.deleteStmt = db.prepare(SQL.deleteUpTo);
    this.count = (db.prepare(SQL.count).get() as { n: number }).n;
  }

  get depth(): number {
    return this.count;
  }

  /** Fraction of capacity in use (0…1). */
  get fill(): number {
    return this.count / this.capacity;
  }

  /** Appends durably; an event id already waiting in the outbox is a duplicate (replay). */
  append(event: SiteEvent): AppendResult {
    if (this.count >= this.capacity) {
      this.refused++;
      return 'full';
    }
    const r = this.insertStmt.run(event.id, JSON.stringify(event));
    if (r.changes === 0) return 'duplicate';
    this.count++;
    return 'stored';
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
