import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GroupCommit, type CommitReport } from './group-commit';
import { openScratchDb, type ScratchDb } from './testing/scratch-db';

/**
 * A genuinely full filesystem: a 1 MiB tmpfs, which needs mount rights (root, or CAP_SYS_ADMIN).
 * Without them the full disk is simulated with PRAGMA max_page_count, and the test names say so.
 */
function mountSmallTmpfs(): { dir: string; unmount: () => void } | { fallback: string } {
  const dir = mkdtempSync(join(tmpdir(), 'store-kit-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return { fallback: String((err as { stderr?: Buffer }).stderr ?? err).trim() || 'mount failed' };
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const disk = mountSmallTmpfs();
const tmpfsDir = 'dir' in disk ? disk.dir : undefined;
const real = tmpfsDir !== undefined;
if ('fallback' in disk)
  console.warn(`full-disk test: no tmpfs (${disk.fallback}); falling back to PRAGMA max_page_count`);
afterAll(() => {
  if ('unmount' in disk) disk.unmount();
});

/** Takes every free byte of the filesystem; returns how to give them back. */
function fillFilesystem(dir: string): () => void {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return () => unlinkSync(filler);
}

/** Makes the database full: the real filesystem, or SQLite's page limit at the current size. */
function makeFull(dir: string, store: ScratchDb): () => void {
  if (real) return fillFilesystem(dir);
  const pages = store.db.pragma('page_count', { simple: true }) as number;
  store.db.pragma(`max_page_count = ${pages}`);
  return () => store.db.pragma('max_page_count = 1073741823');
}

const blob = () => Buffer.alloc(64 * 1024, 7);
const modes = [
  { name: 'fsync inside COMMIT', options: {} },
  { name: 'log flushed off the event loop', options: { flushLogOffLoop: true } },
];
const how = real ? 'a genuinely full filesystem (tmpfs)' : 'a full database (fallback: max_page_count, no tmpfs)';

describe.each(modes)(`on $name, ${how}`, ({ name, options }) => {
  it('rejects every write of the transaction, keeps what committed before, and commits again once space is freed', async () => {
    const dir = tmpfsDir ? join(tmpfsDir, name.replace(/\W+/g, '-')) : mkdtempSync(join(tmpdir(), 'store-kit-full-'));
    mkdirSync(dir, { recursive: true });
    const store = openScratchDb(dir);
    const reports: CommitReport[] = [];
    const commits = new GroupCommit(store.db, { ...options, onCommit: (r) => reports.push(r) });
    await commits.run(() => store.put.run('before', 'v'));
    const free = makeFull(dir, store);

    const writes = ['a', 'b', 'c'].map((key) => commits.run(() => store.put.run(key, blob())));
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const o of outcomes) expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_FULL' });
    expect(reports.at(-1)).toMatchObject({ writes: 3, failed: 3 });
    expect(commits.commits).toBe(1);

    free();
    await commits.run(() => store.put.run('after', blob()));
    await commits.close();
    expect(store.keysAfterReopen()).toEqual(['after', 'before']);
    if (!real) rmSync(dir, { recursive: true, force: true });
  });
});

it('a write that finds the database full fails its whole transaction, not only itself (max_page_count)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'store-kit-page-limit-'));
  const store = openScratchDb(dir);
  const commits = new GroupCommit(store.db);
  await commits.run(() => store.put.run('before', 'v'));
  store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);
  // The small write fits in a page the file has; the large one needs new pages mid-transaction.
  const small = commits.run(() => store.put.run('small', 'v'));
  const large = commits.run(() => store.put.run('large', blob()));
  // SQLite rolled the transaction back by itself: run now, this write would commit on its own.
  const behind = commits.run(() => store.put.run('behind', 'v'));
  const outcomes = await Promise.allSettled([small, large, behind]);
  expect(outcomes).toEqual(
    Array(3).fill({ status: 'rejected', reason: expect.objectContaining({ code: 'SQLITE_FULL' }) }),
  );
  expect(store.keysAfterReopen()).toEqual(['before']);
  rmSync(dir, { recursive: true, force: true });
});
