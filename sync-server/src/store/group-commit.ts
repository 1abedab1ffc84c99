import type Database from 'better-sqlite3';
import type { Db } from './db';
import type { Checkpointer } from './checkpointer';
import { WalSync } from './wal-sync';

interface QueuedWrite {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

/** A committed group whose writes are told once it is durable. */
interface Group {
  writes: QueuedWrite[];
  outcomes: Outcome[];
  settled: boolean;
}

/** What one commit carried, for metrics. */
export interface CommitReport {
  writes: number;
  failed: number;
  ms: number;
}

/**
 * Group commit for the cloud's store: every write queued during one turn of the event loop (event
 * batches from all edge links, document updates from all sync sockets) runs in one SQLite
 * transaction. A write's promise settles only once its transaction is durable: that is when the
 * cloud may acknowledge a batch or let anyone see an update. Each write runs in its own savepoint,
 * so one that throws is rolled back and rejected alone; if the commit itself fails every write of
 * the group is rejected.
 *
 * Durability is that of synchronous=FULL, but the fsync runs off the event loop: the group commits
 * its log frames at synchronous=NORMAL (written, not yet flushed; checkpoints still sync), then an
 * fdatasync of the `-wal` file on a worker thread makes them durable and only then are the writes
 * resolved. Meanwhile the loop keeps serving and committing the next groups, and one fdatasync
 * covers every group committed before it started, so under load fsyncs are shared too.
 * `flush()` instead commits at synchronous=FULL in the loop, for callers that must be durable
 * before they return (changes the cloud makes itself, shutdown).
 */
export class GroupCommit {
  private queue: QueuedWrite[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  /** committed, waiting for the log flush that makes them durable, oldest first */
  private unsynced: Group[] = [];
  private syncing: Promise<void> | undefined;
  /** the groups the flush in progress covers */
  private flushing: Group[] = [];
  private readonly wal: WalSync | undefined;
  private readonly savepoint: (write: () => unknown) => unknown;
  private readonly relaxed: Database.Statement;
  private readonly strict: Database.Statement;
  /** log flushes done off the event loop (for benchmarks) */
  syncs = 0;

  constructor(
    private readonly db: Db,
    private readonly onCommit?: (report: CommitReport) => void,
    /** told the log's size after each flush, to move checkpoints off the loop once it is busy */
    private readonly checkpoints?: Checkpointer,
  ) {
    // A transaction function called inside another transaction runs as a SAVEPOINT.
    this.savepoint = db.transaction((write: () => unknown) => write());
    this.relaxed = db.prepare('PRAGMA synchronous = NORMAL');
    this.strict = db.prepare('PRAGMA synchronous = FULL');
    this.wal = db.memory ? undefined : new WalSync(`${db.name}-wal`);
  }

  /** Queues `write` (synchronous SQL) for the next group; resolves with its result once durable. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (v: unknown) => void, reject });
      this.scheduled ??= setImmediate(() => this.commitInBackground());
    });
  }

  /** Writes queued and not yet committed. */
  get pending(): number {
    return this.queue.length;
  }

  /** The timer's path: commit now, flush the log off the loop. */
  private commitInBackground(): void {
    this.scheduled = undefined;
    const durableNow = this.db.inTransaction || !this.wal;
    let group: Group | undefined;
    try {
      group = this.commit(durableNow ? undefined : this.relaxed);
    } catch {
      return; // every write of the group was told through its rejected promise
    }
    if (!group) return;
    if (durableNow) return this.settle([group]);
    this.unsynced.push(group);
    this.syncLog();
  }

  /**
   * Commits everything queued now at synchronous=FULL, durable when this returns (and with it every
   * group still waiting for its log flush). Throws if the transaction could not be committed.
   */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const group = this.commit(undefined);
    if (!group) return;
    // The FULL commit flushed the whole log, including the frames of every group committed before
    // it: those are told first, so writes are always acknowledged in the order they committed.
    this.settle([...this.flushing, ...this.unsynced.splice(0), group]);
  }

  /** Resolves once everything queued before the call is committed and durable. */
  async whenDurable(): Promise<void> {
    // Groups are told in commit order, so an empty write queued last settles after all of them.
    await this.run(() => undefined);
  }

  /** Commits what is queued and waits until every committed group is durable (shutdown). */
  async close(): Promise<void> {
    this.flush();
    while (this.syncing) await this.syncing;
    await this.checkpoints?.stop();
    this.wal?.close();
  }

  private commit(sync: Database.Statement | undefined): Group | undefined {
    const writes = this.queue;
    if (writes.length === 0) return undefined;
    this.queue = [];
    const started = performance.now();
    const outcomes: Outcome[] = new Array(writes.length);
    try {
      sync?.run();
      this.db.transaction(() => {
        for (let i = 0; i < writes.length; i++) {
          try {
            outcomes[i] = { ok: true, value: this.savepoint(writes[i]!.write) };
          } catch (err) {
            outcomes[i] = { ok: false, err };
          }
        }
      })();
    } catch (err) {
      for (const w of writes) w.reject(err);
      this.onCommit?.({ writes: writes.length, failed: writes.length, ms: performance.now() - started });
      throw err;
    } finally {
      if (sync) this.strict.run();
    }
    const failed = outcomes.filter((o) => !o.ok).length;
    this.onCommit?.({ writes: writes.length, failed, ms: performance.now() - started });
    return { writes, outcomes, settled: false };
  }

  /** One flush at a time; it covers every group committed before it started. */
  private syncLog(): void {
    if (this.syncing || this.unsynced.length === 0 || !this.wal) return;
    const covered = this.unsynced.splice(0);
    const wal = this.wal;
    this.flushing = covered;
    this.syncing = new Promise<void>((done) => {
      wal.sync((err) => {
        this.syncs++;
        this.flushing = [];
        this.syncing = undefined;
        if (err) this.fail(covered, err);
        else this.settle(covered);
        if (!err) this.checkpoints?.logSize(wal.size);
        done();
        this.syncLog();
      });
    });
  }

  private settle(groups: Group[]): void {
    for (const g of groups) {
      if (g.settled) continue;
      g.settled = true;
      g.writes.forEach((w, i) => {
        const o = g.outcomes[i]!;
        if (o.ok) w.resolve(o.value);
        else w.reject(o.err);
      });
    }
  }

  private fail(groups: Group[], err: Error): void {
    console.error(`store: the write-ahead log could not be flushed: ${err.message}`);
    for (const g of groups) {
      if (g.settled) continue;
      g.settled = true;
      for (const w of g.writes) w.reject(err);
    }
  }
}
