import type { Db } from './db';

interface QueuedWrite {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
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
 * transaction, so with synchronous=FULL a single fsync makes all of them power-loss safe. A
 * write's promise settles only once its transaction committed: that is when the cloud may
 * acknowledge a batch or let anyone see an update. Under load the groups grow by themselves:
 * while one commit blocks the event loop, the next messages pile up in the sockets and share the
 * following commit. With nothing else queued a write waits for no companion (setImmediate).
 *
 * Each write runs in its own savepoint: one that throws (a constraint, a bad row) is rolled back
 * and rejected alone instead of taking the other sites' batches down with it. If the commit
 * itself fails (disk full, I/O error) every write of the group is rejected.
 */
export class GroupCommit {
  private queue: QueuedWrite[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly savepoint: (write: () => unknown) => unknown;

  constructor(
    private readonly db: Db,
    private readonly onCommit?: (report: CommitReport) => void,
  ) {
    // A transaction function called inside another transaction runs as a SAVEPOINT.
    this.savepoint = db.transaction((write: () => unknown) => write());
  }

  /** Queues `write` (synchronous SQL) for the next group; resolves with its result once committed. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (v: unknown) => void, reject });
      this.scheduled ??= setImmediate(() => this.commitQuietly());
    });
  }

  /** Writes queued and not yet committed. */
  get pending(): number {
    return this.queue.length;
  }

  /** From the timer: a failed commit was already reported to every write's promise. */
  private commitQuietly(): void {
    try {
      this.flush();
    } catch {
      // each write's owner was told through its rejected promise
    }
  }

  /**
   * Commits everything queued now, synchronously (cloud-made changes, shutdown). Throws if the
   * transaction could not be committed (after rejecting every write of the group).
   */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const group = this.queue;
    if (group.length === 0) return;
    this.queue = [];
    const started = performance.now();
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = new Array(group.length);
    try {
      this.db.transaction(() => {
        for (let i = 0; i < group.length; i++) {
          try {
            outcomes[i] = { ok: true, value: this.savepoint(group[i]!.write) };
          } catch (err) {
            outcomes[i] = { ok: false, err };
          }
        }
      })();
    } catch (err) {
      for (const w of group) w.reject(err);
      this.onCommit?.({ writes: group.length, failed: group.length, ms: performance.now() - started });
      throw err;
    }
    let failed = 0;
    for (let i = 0; i < group.length; i++) {
      const o = outcomes[i]!;
      if (o.ok) group[i]!.resolve(o.value);
      else {
        failed++;
        group[i]!.reject(o.err);
      }
    }
    this.onCommit?.({ writes: group.length, failed, ms: performance.now() - started });
  }
}
