import type { Db } from './db';

interface QueuedWrite {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Longest a write may wait for companions before its transaction commits. */
export const MAX_COMMIT_WINDOW_MS = 2;

/**
 * Group commit: writes queued in the same tick (or within `windowMs`, at most 2 ms) run in one
 * SQLite transaction, so with synchronous=FULL one fsync makes all of them power-loss safe. Each
 * write's promise settles only after its transaction committed, which is when the edge may tell a
 * device "received". Under load the batches grow by themselves: while one commit blocks the event
 * loop, the next messages queue up and share the following commit.
 *
 * Writes whose durability can wait (deleting uploaded events, forgetting old ids) are `defer`red:
 * they ride along with the next commit that happens anyway, so they cost no fsync of their own and
 * never put one between a device's message and its answer; only after `maxDelayMs` without any
 * other write do they commit alone.
 */
export class GroupCommit {
  private queue: QueuedWrite[] = [];
  private timer?: NodeJS.Timeout | NodeJS.Immediate;
  private lazyTimer?: NodeJS.Timeout;
  /** transactions committed (for metrics and benchmarks) */
  commits = 0;

  constructor(
    private readonly db: Db,
    private readonly windowMs = 0,
  ) {
    if (windowMs < 0 || windowMs > MAX_COMMIT_WINDOW_MS) throw new RangeError(`commit window must be 0…${MAX_COMMIT_WINDOW_MS} ms`);
  }

  /** Queues `write` (synchronous SQL) for the next transaction; resolves with its result once committed. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (v: unknown) => void, reject });
      this.timer ??= this.windowMs === 0 ? setImmediate(() => this.flush()) : setTimeout(() => this.flush(), this.windowMs);
    });
  }

  /** Queues `write` for whichever commit comes first: the next one anyway, or its own after `maxDelayMs`. */
  defer<T>(write: () => T, maxDelayMs = 1_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (v: unknown) => void, reject });
      if (!this.timer) this.lazyTimer ??= setTimeout(() => this.flush(), maxDelayMs);
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Commits everything queued now (also used on shutdown). A failed transaction rejects every write in it. */
  flush(): void {
    if (this.timer && this.windowMs === 0) clearImmediate(this.timer as NodeJS.Immediate);
    else if (this.timer) clearTimeout(this.timer as NodeJS.Timeout);
    this.timer = undefined;
    if (this.lazyTimer) clearTimeout(this.lazyTimer);
    this.lazyTimer = undefined;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const results: unknown[] = new Array(batch.length);
    try {
      this.db.transaction(() => {
        for (let i = 0; i < batch.length; i++) results[i] = batch[i]!.write();
      })();
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    this.commits++;
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(results[i]);
  }
}
