import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

type SyncLevel = 'normal' | 'full';

export interface CheckpointerOptions {
  /** Interval between the thread's checkpoints. */
  everyMs?: number;
  /** The thread's synchronous level: FULL fsyncs the database file after each checkpoint. */
  sync?: SyncLevel;
  /** Told why a checkpoint failed or the thread stopped. */
  onError?: (message: string) => void;
  /** The thread starts once `logSize` reports a log this large; 0 starts it at once. */
  startAtLogBytes?: number;
  /** While the thread runs, the writer's own automatic checkpoint only steps in this far behind (pages). */
  backstopPages?: number;
}

const DEFAULTS = { everyMs: 250, sync: 'full', startAtLogBytes: 16 * 1024 * 1024, backstopPages: 32_768 } as const;
/** A thread that does not finish its last checkpoint by then is terminated (shutdown must end). */
const STOP_TIMEOUT_MS = 5_000;

/**
 * The thread: its own connection to the same file, copying committed log frames into the database
 * with PASSIVE checkpoints (they never wait for or block the writer) and, at FULL, syncing it, as
 * SQLite's automatic checkpoint would, but off the event loop. One last checkpoint on stop, so the
 * log is short when the writer closes. Plain JavaScript, so it runs the same under tsx and tests.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = ' + workerData.sync);
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.message) || err) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit
 * crosses its threshold and copies and fsyncs the log there, stalling every request waiting on the
 * loop meanwhile. Here a worker thread checkpoints every `everyMs`, which also lets the log restart
 * from its beginning often, so commits overwrite pages the file already has (a cheaper fsync).
 *
 * Two ways to start it: with the file name it starts at once (the edge, busy from its first
 * message; its `openDb` keeps the writer's threshold high as a safety net). With the writer's
 * connection it starts only once `logSize` reports a large log (an idle or test cloud never starts
 * a thread), raises the writer's threshold to a backstop while it runs and restores it on stop.
 */
export class Checkpointer {
  private worker?: Worker;
  private stopping?: Promise<void>;
  private restorePages?: number;
  private readonly file: string;
  private readonly writer?: Database.Database;
  private readonly options: Required<CheckpointerOptions>;

  constructor(file: string, sync: SyncLevel, everyMs: number, onError: (message: string) => void);
  constructor(writer: Database.Database, options?: CheckpointerOptions);
  constructor(
    target: string | Database.Database,
    syncOrOptions: SyncLevel | CheckpointerOptions = {},
    everyMs?: number,
    onError?: (message: string) => void,
  ) {
    const given =
      typeof syncOrOptions === 'string' ? { sync: syncOrOptions, everyMs, onError, startAtLogBytes: 0 } : syncOrOptions;
    this.options = {
      everyMs: given.everyMs ?? DEFAULTS.everyMs,
      sync: given.sync ?? DEFAULTS.sync,
      onError: given.onError ?? ((m) => console.error(`store: background checkpoint: ${m}`)),
      startAtLogBytes: given.startAtLogBytes ?? DEFAULTS.startAtLogBytes,
      backstopPages: given.backstopPages ?? DEFAULTS.backstopPages,
    };
    this.file = typeof target === 'string' ? target : target.name;
    this.writer = typeof target === 'string' ? undefined : target;
    if (this.options.startAtLogBytes === 0) this.start();
  }

  /** Told the log's size (after each log flush); starts the thread once the log is large. */
  logSize(bytes: number): void {
    if (bytes >= this.options.startAtLogBytes) this.start();
  }

  /** Last checkpoint, then the thread's connection closes (before the writer's does), and checkpoints go back to SQLite. */
  stop(): Promise<void> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  private start(): void {
    // A thread cannot open an in-memory database, and has nothing to do for one.
    if (this.worker || this.stopping || this.writer?.memory || this.file === ':memory:' || this.file === '') return;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const { everyMs, sync, onError } = this.options;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file: this.file, everyMs, sync: sync.toUpperCase() },
    });
    worker.unref();
    worker.on('message', (m: { error?: string }) => m.error && onError(m.error));
    worker.on('error', (err) => {
      onError(`checkpoint thread stopped: ${err.message}`);
      this.handBack();
    });
    this.worker = worker;
    if (this.writer) {
      this.restorePages = this.writer.pragma('wal_autocheckpoint', { simple: true }) as number;
      this.writer.pragma(`wal_autocheckpoint = ${this.options.backstopPages}`);
    }
  }

  private async finish(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    this.handBack();
  }

  /** The writer's own automatic checkpoints take over again. */
  private handBack(): void {
    this.worker = undefined;
    if (this.writer?.open && this.restorePages !== undefined)
      this.writer.pragma(`wal_autocheckpoint = ${this.restorePages}`);
    this.restorePages = undefined;
  }
}
