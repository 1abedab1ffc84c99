import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit, type CommitReport } from './group-commit';
import { openScratchDb, type ScratchDb } from './testing/scratch-db';

let dir: string;
let store: ScratchDb;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-kit-commit-'));
  store = openScratchDb(dir);
});
afterEach(() => {
  if (store.db.open) store.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  it('commits the writes of one tick in one transaction and resolves each with its result only then', async () => {
    const reports: CommitReport[] = [];
    const commits = new GroupCommit(store.db, { onCommit: (r) => reports.push(r) });
    const acks = ['a', 'b', 'c'].map((key) => commits.run(() => store.put.run(key, 'v').changes));
    expect(commits.pending).toBe(3);
    expect(store.committedKeys()).toEqual([]);
    expect(await Promise.all(acks)).toEqual([1, 1, 1]);
    expect(store.committedKeys()).toEqual(['a', 'b', 'c']);
    expect(commits.commits).toBe(1);
    expect(reports).toEqual([expect.objectContaining({ writes: 3, failed: 0 })]);
  });

  it('rejects a failing write alone and commits the others of its transaction', async () => {
    const reports: CommitReport[] = [];
    const commits = new GroupCommit(store.db, { onCommit: (r) => reports.push(r) });
    const first = commits.run(() => store.put.run('first', 'v'));
    const thrown = commits.run(() => {
      store.put.run('half-done', 'v');
      throw new Error('bad batch');
    });
    const duplicate = commits.run(() => store.put.run('first', 'again'));
    const last = commits.run(() => store.put.run('last', 'v'));
    await expect(thrown).rejects.toThrow('bad batch');
    await expect(duplicate).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    await expect(first).resolves.toMatchObject({ changes: 1 });
    await expect(last).resolves.toMatchObject({ changes: 1 });
    expect(commits.commits).toBe(1);
    expect(reports).toEqual([expect.objectContaining({ writes: 4, failed: 2 })]);
    // What the failed writes did before throwing was rolled back with them.
    expect(store.keysAfterReopen()).toEqual(['first', 'last']);
  });

  it('rejects every write of a transaction whose commit fails, and flush throws', async () => {
    store.db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`);
    const reports: CommitReport[] = [];
    const commits = new GroupCommit(store.db, { onCommit: (r) => reports.push(r) });
    const fine = commits.run(() => store.put.run('fine', 'v'));
    // A deferred foreign key is checked at COMMIT: the whole transaction fails there.
    const orphan = commits.run(() => store.db.prepare('INSERT INTO child VALUES (42)').run());
    expect(() => commits.flush()).toThrow(/FOREIGN KEY/);
    await expect(fine).rejects.toThrow(/FOREIGN KEY/);
    await expect(orphan).rejects.toThrow(/FOREIGN KEY/);
    expect(commits.commits).toBe(0);
    expect(reports).toEqual([expect.objectContaining({ writes: 2, failed: 2 })]);
    expect(store.keysAfterReopen()).toEqual([]);
  });

  it('gives writes queued while a transaction runs to the next transaction', async () => {
    const commits = new GroupCommit(store.db);
    let later: Promise<unknown> | undefined;
    const first = commits.run(() => {
      later = commits.run(() => store.put.run('queued-during', 'v'));
      commits.flush(); // from inside a write: the running transaction cannot take it
      return store.put.run('first', 'v');
    });
    commits.flush();
    await first;
    expect(commits.commits).toBe(1);
    expect(commits.pending).toBe(1);
    expect(store.committedKeys()).toEqual(['first']);
    await later;
    expect(commits.commits).toBe(2);
    expect(store.keysAfterReopen()).toEqual(['first', 'queued-during']);
  });

  it('with a commit window, writes queued within it share one transaction', async () => {
    const commits = new GroupCommit(store.db, 2);
    const first = commits.run(() => store.put.run('first', 'v'));
    await nextTurn(); // the check phase comes before the window's timer can fire
    const second = commits.run(() => store.put.run('second', 'v'));
    await Promise.all([first, second]);
    expect(commits.commits).toBe(1);
    expect(() => new GroupCommit(store.db, 3)).toThrow(RangeError);
  });
});

describe('deferred writes', () => {
  it('ride along with the next commit instead of costing one of their own', async () => {
    const commits = new GroupCommit(store.db);
    let deferredDone = false;
    const deferred = commits.defer(() => store.put.run('later', 'v'), 60_000).then(() => (deferredDone = true));
    await new Promise((r) => setTimeout(r, 20));
    // Nothing forced a commit yet: the deferred write waits (no fsync of its own).
    expect(deferredDone).toBe(false);
    expect(commits.commits).toBe(0);
    expect(commits.pending).toBe(1);
    await commits.run(() => store.put.run('now', 'v'));
    await deferred;
    expect(commits.commits).toBe(1);
    expect(store.keysAfterReopen()).toEqual(['later', 'now']);
  });

  it('commit alone after their longest delay when nothing else writes', async () => {
    const commits = new GroupCommit(store.db);
    const started = Date.now();
    await commits.defer(() => store.put.run('alone', 'v'), 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(commits.commits).toBe(1);
    expect(store.keysAfterReopen()).toEqual(['alone']);
  });
});
