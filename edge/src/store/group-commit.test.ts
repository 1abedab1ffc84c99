import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from './db';
import { GroupCommit } from './group-commit';

function setup() {
  const db = openDb(mkdtempSync(join(tmpdir(), 'commit-')));
  const put = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)');
  const count = () => (db.prepare('SELECT COUNT(*) AS n FROM kv').get() as { n: number }).n;
  return { db, put, count, commits: new GroupCommit(db) };
}

describe('group commit', () => {
  it('lets a deferred write ride along with the next commit instead of costing one of its own', async () => {
    const { put, count, commits } = setup();
    let deferredDone = false;
    const deferred = commits.defer(() => put.run('later', '1'), 60_000).then(() => (deferredDone = true));
    await new Promise((r) => setTimeout(r, 20));
    // Nothing forced a commit yet: the deferred write waits (no fsync of its own).
    expect(deferredDone).toBe(false);
    expect(commits.commits).toBe(0);
    await commits.run(() => put.run('now', '1'));
    await deferred;
    expect(commits.commits).toBe(1);
    expect(count()).toBe(2);
  });

  it('commits a deferred write alone after its longest delay when nothing else writes', async () => {
    const { put, count, commits } = setup();
    const started = Date.now();
    await commits.defer(() => put.run('alone', '1'), 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(commits.commits).toBe(1);
    expect(count()).toBe(1);
  });
});
