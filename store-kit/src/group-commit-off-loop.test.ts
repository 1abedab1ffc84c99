import Database from 'better-sqlite3';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupCommit, type LogWatcher } from './group-commit';
import { openScratchDb, type ScratchDb } from './testing/scratch-db';

let dir: string;
let store: ScratchDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-kit-off-loop-'));
  store = openScratchDb(dir);
});
afterEach(() => {
  if (store.db.open) store.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const nextTurn = () => new Promise((r) => setImmediate(r));
const offLoop = (extra = {}) => new GroupCommit(store.db, { flushLogOffLoop: true, ...extra });

describe('group commit with the log flushed off the event loop', () => {
  it('tells a group only after its log flush, which runs while the next group commits', async () => {
    const commits = offLoop();
    const told: string[] = [];
    const first = commits.run(() => store.put.run('first', 'v')).then(() => told.push('first'));
    await nextTurn();
    // Committed (another connection reads it) but not yet flushed: not acknowledged yet.
    expect(store.committedKeys()).toEqual(['first']);
    expect(told).toEqual([]);
    const second = commits.run(() => store.put.run('second', 'v')).then(() => told.push('second'));
    await Promise.all([first, second]);
    expect(told).toEqual(['first', 'second']);
    expect(commits.syncs).toBeGreaterThanOrEqual(1);
    // The connection is back at FULL between groups.
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('flush commits durably before returning and first tells the groups still waiting for a log flush', async () => {
    const commits = offLoop();
    const told: string[] = [];
    const background = commits.run(() => store.put.run('background', 'v')).then(() => told.push('background'));
    await nextTurn();
    const own = commits.run(() => store.put.run('own', 'v')).then(() => told.push('own'));
    commits.flush();
    expect(store.committedKeys()).toEqual(['background', 'own']);
    await Promise.all([background, own]);
    expect(told).toEqual(['background', 'own']);
  });

  it('rejects a failing write alone here too', async () => {
    const commits = offLoop();
    const good = commits.run(() => store.put.run('good', 'v'));
    const bad = commits.run(() => store.put.run('good', 'duplicate'));
    await expect(bad).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    await expect(good).resolves.toMatchObject({ changes: 1 });
    expect(store.keysAfterReopen()).toEqual(['good']);
  });

  it('acknowledges none of a group whose log could not be flushed', async () => {
    const wal = `${store.file}-wal`;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // The log vanishes between the commit and its flush (the flush finds no file to sync).
    const commits = offLoop({ onCommit: () => renameSync(wal, `${wal}.away`) });
    const writes = [commits.run(() => store.put.run('a', 'v')), commits.run(() => store.put.run('b', 'v'))];
    for (const w of writes) await expect(w).rejects.toMatchObject({ code: 'ENOENT' });
    renameSync(`${wal}.away`, wal);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('could not be flushed'));
    errors.mockRestore();
  });

  it('tells the checkpointer the log size after each flush and stops it on close, everything durable', async () => {
    const sizes: number[] = [];
    const checkpoints: LogWatcher = { logSize: (b) => void sizes.push(b), stop: vi.fn(async () => undefined) };
    const commits = offLoop({ checkpoints });
    await commits.run(() => store.put.run('a', Buffer.alloc(10_000)));
    expect(sizes.length).toBe(1);
    expect(sizes[0]).toBeGreaterThan(10_000);
    const last = commits.run(() => store.put.run('b', 'v'));
    await nextTurn(); // committed, its log flush in flight
    await commits.close();
    await last;
    expect(checkpoints.stop).toHaveBeenCalledOnce();
    expect(store.keysAfterReopen()).toEqual(['a', 'b']);
  });

  it('resolves at once for an in-memory database, which has no log to flush', async () => {
    const memory = new Database(':memory:');
    memory.exec('CREATE TABLE kv (key TEXT PRIMARY KEY)');
    const commits = new GroupCommit(memory, { flushLogOffLoop: true });
    await commits.run(() => memory.prepare("INSERT INTO kv VALUES ('a')").run());
    expect(commits.syncs).toBe(0);
    expect(memory.prepare('SELECT COUNT(*) AS n FROM kv').get()).toEqual({ n: 1 });
    memory.close();
  });
});
