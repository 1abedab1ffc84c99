import type Database from 'better-sqlite3';
import { groupTransaction, type Outcome } from './group-transaction';
import { LogFlusher, settle, type Group, type QueuedWrite } from './log-flusher';

/** What one commit carried, for metrics. */
export interface CommitReport {
  writes: number;
  failed: number;
  ms: number;
}

/** Told the log's size after each off-loop flush and stopped on close (the Checkpointer). */
export interface LogWatcher {
  logSize(bytes: number): void;
  stop(): Promise<void>;
}

export interface GroupCommitOptions {
  /** How long a write waits for companions: 0 = the rest of this event-loop turn, at most MAX_COMMIT_WINDOW_MS. */
  windowMs?: number;
  /** Commit at synchronous=NORMAL and fdatasync the `-wal` file on a libuv thread before resolving. */
  flushLogOffLoop?: boolean;
  /** Told after every commit attempt (metrics). */
  onCommit?: (report: CommitReport) => void;
  /** Told the log's size after each off-loop flush; stopped by `close()`. */
  checkpoints?: LogWatcher;
}

/** Longest a write may wait for companions before its transaction commits. */
export const MAX_COMMIT_WINDOW_MS = 2;

/**
 * Group commit: writes queued in one turn of the event loop (or within `windowMs`) run in one
 * SQLite transaction, so one fsync makes all of them durable, and under load batches grow by
 * themselves. A write's promise settles only once its transaction is durable: that is when a
 * device may be told "received" or a batch acknowledged. Each write runs in its own savepoint, so
 * one that throws is rolled back and rejected alone; a failed transaction (disk full, I/O error,
 * COMMIT refused) rejects every write of it. Writes queued while a transaction runs get the next.
 *
 * Where the fsync happens is the one choice: by default inside COMMIT at the connection's own
 * synchronous level (the edge, synchronous=FULL). With `flushLogOffLoop` the group commits its log
 * frames at NORMAL and an fdatasync on a libuv thread makes them durable before the writes are
 * told, so the loop keeps committing the next groups meanwhile and one fdatasync covers all groups
 * committed before it (the cloud). `flush()` always commits durably before it returns.
 *
 * `defer`red writes (durability can wait) ride along with the next commit that happens anyway, and
 * commit alone only after `maxDelayMs` without any other write.
 */
export class GroupCommit {
  private queue: QueuedWrite[] = [];
  private timer?: NodeJS.Timeout | NodeJS.Immediate;
  private lazyTimer?: NodeJS.Timeout;
  private committing = false;
  private readonly windowMs: number;
  private readonly transaction: (writes: ReadonlyArray<() => unknown>) => Outcome[];
  /** with `flushLogOffLoop`: committed groups wait there for the fdatasync that makes them durable */
  private readonly log?: LogFlusher;
  private readonly relax?: { relaxed: Database.Statement; restored: Database.Statement };
  private readonly onCommit?: (report: CommitReport) => void;
  private readonly checkpoints?: LogWatcher;
  /** transactions committed (metrics, benchmarks) */
  commits = 0;

  constructor(
    private readonly db: Database.Database,
    options: number | GroupCommitOptions = {},
  ) {
    const o = typeof options === 'number' ? { windowMs: options } : options;
    this.windowMs = o.windowMs ?? 0;
    if (this.windowMs < 0 || this.windowMs > MAX_COMMIT_WINDOW_MS)
      throw new RangeError(`commit window must be 0…${MAX_COMMIT_WINDOW_MS} ms`);
    this.transaction = groupTransaction(db);
    this.onCommit = o.onCommit;
    this.checkpoints = o.checkpoints;
    // An in-memory database has no log to flush: its commits are as durable as they get at once.
    if (o.flushLogOffLoop && !db.memory) {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal')
        throw new RangeError('flushLogOffLoop needs journal_mode=WAL');
      this.log = new LogFlusher(db.name, (bytes) => this.checkpoints?.logSize(bytes));
      const level = db.pragma('synchronous', { simple: true }) as number;
      this.relax = {
        relaxed: db.prepare('PRAGMA synchronous = NORMAL'),
        restored: db.prepare(`PRAGMA synchronous = ${level}`),
      };
    }
  }

  /** Queues `write` (synchronous SQL) for the next transaction; resolves with its result once durable. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (v: unknown) => void, reject });
      this.timer ??=
        this.windowMs === 0
          ? setImmediate(() => this.commitScheduled())
          : setTimeout(() => this.commitScheduled(), this.windowMs);
    });
  }

  /** Queues `write` for whichever commit comes first: the next one anyway, or its own after `maxDelayMs`. */
  defer<T>(write: () => T, maxDelayMs = 1_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (v: unknown) => void, reject });
      if (!this.timer) this.lazyTimer ??= setTimeout(() => this.commitScheduled(), maxDelayMs);
    });
  }

  /** Writes queued and not yet committed. */
  get pending(): number {
    return this.queue.length;
  }

  /** Log flushes done off the event loop (benchmarks). */
  get syncs(): number {
    return this.log?.syncs ?? 0;
  }

  /**
   * Commits everything queued now, durable when this returns (and with it every group still waiting
   * for its log flush). Throws, after rejecting its writes, if the transaction failed. Called from
   * inside a write it does nothing: the running transaction cannot take more, the next one will.
   */
  flush(): void {
    const group = this.commit(false);
    if (!group) return;
    // The durable commit flushed the whole log, including the frames of every group committed
    // before it: those are told first, so writes are always acknowledged in the order they committed.
    settle([...(this.log?.takeAll() ?? []), group]);
  }

  /** Resolves once everything queued before the call is committed and durable. */
  async whenDurable(): Promise<void> {
    // Groups are told in commit order, so an empty write queued last settles after all of them.
    await this.run(() => undefined);
  }

  /** Commits what is queued and waits until every committed group is durable (shutdown). */
  async close(): Promise<void> {
    this.flush();
    await this.log?.idle();
    await this.checkpoints?.stop();
    this.log?.close();
  }

  /** The timers' path: commit now; with an off-loop log flush, tell the writes once it is done. */
  private commitScheduled(): void {
    // Inside a caller's own transaction nothing commits until it does: no log flush to wait for.
    const log = this.db.inTransaction ? undefined : this.log;
    let group: Group | undefined;
    try {
      group = this.commit(log !== undefined);
    } catch {
      return; // every write of the group was told through its rejected promise
    }
    if (!group) return;
    if (log) log.add(group);
    else settle([group]);
  }

  private commit(relaxed: boolean): Group | undefined {
    if (this.committing) return undefined;
    this.clearTimers();
    const writes = this.queue;
    if (writes.length === 0) return undefined;
    this.queue = [];
    this.committing = true;
    const started = performance.now();
    let outcomes: Outcome[];
    try {
      if (relaxed) this.relax?.relaxed.run();
      outcomes = this.transaction(writes.map((w) => w.write));
    } catch (err) {
      for (const w of writes) w.reject(err);
      this.onCommit?.({ writes: writes.length, failed: writes.length, ms: performance.now() - started });
      throw err;
    } finally {
      if (relaxed) this.relax?.restored.run();
      this.committing = false;
    }
    this.commits++;
    const failed = outcomes.filter((o) => !o.ok).length;
    this.onCommit?.({ writes: writes.length, failed, ms: performance.now() - started });
    return { writes, outcomes, settled: false };
  }

  private clearTimers(): void {
    if (this.timer && this.windowMs === 0) clearImmediate(this.timer as NodeJS.Immediate);
    else if (this.timer) clearTimeout(this.timer as NodeJS.Timeout);
    if (this.lazyTimer) clearTimeout(this.lazyTimer);
    this.timer = undefined;
    this.lazyTimer = undefined;
  }
}
