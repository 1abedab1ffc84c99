import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Checkpointer } from './checkpointer';
import { openScratchDb, type ScratchDb } from './testing/scratch-db';

let dir: string;
let store: ScratchDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-kit-checkpoint-'));
  store = openScratchDb(dir);
});
afterEach(() => {
  if (store.db.open) store.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const bytes = (file: string) => statSync(file).size;
const autocheckpoint = () => store.db.pragma('wal_autocheckpoint', { simple: true });

describe('started with the file name (the edge)', () => {
  it('keeps the WAL short while the main connection commits, without SQLite checkpointing inside commits', async () => {
    store.db.pragma('wal_autocheckpoint = 0'); // only the thread may checkpoint here
    const errors: string[] = [];
    const checkpointer = new Checkpointer(store.file, 'full', 10, (m) => errors.push(m));
    const blob = Buffer.alloc(64 * 1024, 1);
    // 200 commits of 64 KiB: 12.5 MiB through the WAL.
    for (let i = 0; i < 200; i++) {
      store.put.run(`k${i}`, blob);
      await new Promise((r) => setTimeout(r, 2));
    }
    const walBytes = bytes(`${store.file}-wal`);
    const dbBytes = bytes(store.file);
    await checkpointer.stop();
    expect(errors).toEqual([]);
    // Without the thread the log would hold all 12.5 MiB and the database file next to nothing. How
    // far the thread lags depends on the machine's load, so the test asks only that it checkpointed
    // while the commits went on: pages reached the database file and the log restarted at least once.
    expect(dbBytes).toBeGreaterThan(1024 * 1024);
    expect(walBytes).toBeLessThan(12 * 1024 * 1024);
  });

  it('checkpoints one last time on stop, so the log is in the database before the writer closes', async () => {
    store.db.pragma('wal_autocheckpoint = 0');
    const checkpointer = new Checkpointer(store.file, 'full', 60_000, () => undefined);
    const before = bytes(store.file);
    store.db.transaction(() => {
      for (let i = 0; i < 50; i++) store.put.run(`k${i}`, Buffer.alloc(20_000, i));
    })();
    expect(bytes(store.file)).toBe(before);
    await checkpointer.stop();
    await checkpointer.stop(); // idempotent
    expect(bytes(store.file)).toBeGreaterThan(before + 1_000_000);
  });

  it('reports a thread that cannot work', async () => {
    const errors: string[] = [];
    const checkpointer = new Checkpointer(join(dir, 'missing.db'), 'normal', 10, (m) => errors.push(m));
    await vi.waitFor(() => expect(errors).toEqual([expect.stringContaining('checkpoint thread stopped')]), {
      timeout: 10_000,
    });
    await checkpointer.stop();
  });
});

describe("started with the writer's connection (the cloud)", () => {
  it('copies the log into the database from its own thread once the log is large, and stops cleanly', async () => {
    store.db.pragma('wal_autocheckpoint = 4000');
    const checkpoints = new Checkpointer(store.db, { everyMs: 50 });
    checkpoints.logSize(1024);
    expect(autocheckpoint()).toBe(4000);
    checkpoints.logSize(64 * 1024 * 1024);
    // The committing connection now leaves checkpoints to the thread (it only steps in far behind).
    expect(autocheckpoint()).toBe(32_768);
    const before = bytes(store.file);
    store.db.transaction(() => {
      for (let i = 0; i < 500; i++) store.put.run(`k${i}`, Buffer.alloc(4000, i));
    })();
    await vi.waitFor(() => expect(bytes(store.file)).toBeGreaterThan(before + 1_000_000), {
      timeout: 10_000,
      interval: 20,
    });
    await checkpoints.stop();
    expect(autocheckpoint()).toBe(4000);
    // Stopped for good: a large log no longer starts a thread.
    checkpoints.logSize(64 * 1024 * 1024);
    expect(autocheckpoint()).toBe(4000);
  });

  it('never starts a thread for an in-memory database', async () => {
    const memory = new Database(':memory:');
    const checkpoints = new Checkpointer(memory, { startAtLogBytes: 0 });
    checkpoints.logSize(64 * 1024 * 1024);
    expect(memory.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpoints.stop();
    memory.close();
  });
});
