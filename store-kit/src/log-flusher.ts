import type { Outcome } from './group-transaction';
import { WalSync } from './wal-sync';

/** A write waiting in a group commit, told through its promise. */
export interface QueuedWrite {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** A committed group whose writes are told once it is durable. */
export interface Group {
  writes: QueuedWrite[];
  outcomes: Outcome[];
  settled: boolean;
}

/** Tells each write of the groups its own outcome, oldest group first; a group is told once. */
export function settle(groups: Group[]): void {
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

/**
 * Groups committed at synchronous=NORMAL wait here until an fdatasync of the `-wal` file, on a
 * libuv thread, makes them durable; only then are their writes told. One flush at a time, covering
 * every group committed before it started, so under load groups share fsyncs.
 */
export class LogFlusher {
  private readonly wal: WalSync;
  /** committed, waiting for a flush to start, oldest first */
  private waiting: Group[] = [];
  /** the groups the flush in progress covers */
  private flushing: Group[] = [];
  private syncing?: Promise<void>;
  /** flushes done (benchmarks) */
  syncs = 0;

  constructor(
    dbFile: string,
    /** told the log's size after each flush (to start checkpoints off the loop once it is large) */
    private readonly onFlushed: (logBytes: number) => void,
  ) {
    this.wal = new WalSync(`${dbFile}-wal`);
  }

  add(group: Group): void {
    this.waiting.push(group);
    this.next();
  }

  /**
   * Hands over every group not yet told, oldest first: a commit at synchronous=FULL just flushed
   * the whole log, their frames included. The flush in progress will find them already told.
   */
  takeAll(): Group[] {
    return [...this.flushing, ...this.waiting.splice(0)];
  }

  /** Resolves once no flush is in progress or waiting. */
  async idle(): Promise<void> {
    while (this.syncing) await this.syncing;
  }

  close(): void {
    this.wal.close();
  }

  private next(): void {
    if (this.syncing || this.waiting.length === 0) return;
    const covered = this.waiting.splice(0);
    this.flushing = covered;
    this.syncing = new Promise<void>((done) => {
      this.wal.sync((err) => {
        this.syncs++;
        this.flushing = [];
        this.syncing = undefined;
        if (err) fail(covered, err);
        else settle(covered);
        if (!err) this.onFlushed(this.wal.size);
        done();
        this.next();
      });
    });
  }
}

/** Committed but never made durable: a power loss could still undo them, so none is acknowledged. */
function fail(groups: Group[], err: Error): void {
  console.error(`store: the write-ahead log could not be flushed: ${err.message}`);
  for (const g of groups) {
    if (g.settled) continue;
    g.settled = true;
    for (const w of g.writes) w.reject(err);
  }
}
