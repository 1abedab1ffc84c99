import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eventually } from '../testing/test-cloud';
import { Checkpointer } from './checkpointer';
import { openDb, WAL_AUTOCHECKPOINT_PAGES, type Db } from './db';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-checkpointer-'));
  db = openDb(join(dir, 'cloud.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const dbFileBytes = () => statSync(join(dir, 'cloud.db')).size;

it('copies the log into the database from its own thread once the log is large, and stops cleanly', async () => {
  const checkpoints = new Checkpointer(db);
  checkpoints.logSize(1024);
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
  checkpoints.logSize(64 * 1024 * 1024);
  // The committing connection now leaves checkpoints to the thread (it only steps in far behind).
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(WAL_AUTOCHECKPOINT_PAGES);
  db.exec('CREATE TABLE filler (x BLOB)');
  const before = dbFileBytes();
  const insert = db.prepare('INSERT INTO filler VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 500; i++) insert.run(Buffer.alloc(4000, i));
  })();
  await eventually(() => dbFileBytes() > before + 1_000_000, 10_000, 'background checkpoint');
  await checkpoints.stop();
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
  // Stopped for good: a large log no longer starts a thread.
  checkpoints.logSize(64 * 1024 * 1024);
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
});
