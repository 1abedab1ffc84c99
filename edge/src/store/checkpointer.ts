import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Runs in a worker thread with its own connection to the edge's file. A PASSIVE checkpoint never
 * waits for or blocks the writer, so the main thread keeps committing meanwhile.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
db.pragma('synchronous = ' + workerData.sync);
const step = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
};
const timer = setInterval(step, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  step();
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

/**
 * WAL checkpoints off the event loop. With synchronous=FULL a checkpoint writes the WAL's pages
 * into the database file and fsyncs it: on the main thread (SQLite's automatic checkpoint runs
 * inside whichever commit crosses the threshold) that stalls the access request waiting on that
 * commit, and every request behind it, for as long as the disk takes. Here a worker thread does it
 * every `everyMs`, which also lets the WAL restart from its beginning often, so commits overwrite
 * pages the file already has instead of growing it (a cheaper fsync). The main connection keeps a
 * high automatic threshold as a safety net should the worker fall behind.
 */
export class Checkpointer {
  private readonly worker: Worker;
  private stopped?: Promise<void>;

  constructor(file: string, sync: 'normal' | 'full', everyMs: number, onError: (message: string) => void) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, everyMs, sync: sync.toUpperCase() } });
    this.worker.on('message', (m: { error?: string }) => m.error && onError(m.error));
    this.worker.on('error', (err) => onError(err.message));
    this.worker.unref();
  }

  /** Final checkpoint, then the worker's connection closes (before the main connection does). */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      const done = (): void => resolve();
      this.worker.once('message', done);
      this.worker.once('exit', done);
      this.worker.postMessage('stop');
    }).then(() => this.worker.terminate().then(() => undefined));
    return this.stopped;
  }
}
