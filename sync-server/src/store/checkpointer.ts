import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { WAL_AUTOCHECKPOINT_PAGES, type Db } from './db';

/** The log size at which checkpoints move to their own thread (below it SQLite's own are cheap). */
const START_AT_LOG_BYTES = 16 * 1024 * 1024;
/** The event loop's connection still checkpoints if the worker falls this far behind (pages). */
const BACKSTOP_PAGES = 32_768;
const EVERY_MS = 250;

/**
 * The worker: its own connection to the same file, copying committed log frames into the database
 * with PASSIVE checkpoints (they never block the writer) and syncing it, as SQLite's automatic
 * checkpoint would, but off the event loop. Plain JavaScript, so it runs the same under tsx and tests.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = FULL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.message) || err) });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Moves WAL checkpoints off the event loop once the store is busy: with thousands of events per
 * commit, SQLite's automatic checkpoint (copy the log into the database, two fsyncs) ran inside
 * the commit and blocked every socket meanwhile. Started lazily, so an idle or test cloud never
 * starts a thread.
 */
export class Checkpointer {
  private worker: Worker | undefined;
  private stopped = false;

  constructor(private readonly db: Db) {}

  /** Told the log's size after each flush; starts the worker once the log is large. */
  logSize(bytes: number): void {
    if (this.worker || this.stopped || this.db.memory || bytes < START_AT_LOG_BYTES) return;
    const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sqlitePath, file: this.db.name, everyMs: EVERY_MS } });
    worker.unref();
    worker.on('message', (m: { error?: string }) => console.error(`store: background checkpoint failed: ${m.error}`));
    worker.on('error', (err) => {
      console.error(`store: checkpoint thread stopped: ${err.message}`);
      this.fallBack();
    });
    this.worker = worker;
    this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  }

  /** Stops the worker (its connection closes cleanly) and hands checkpoints back to SQLite. */
  async stop(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    const timer = setTimeout(() => void worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
    this.fallBack();
  }

  private fallBack(): void {
    this.worker = undefined;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  }
}
