import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDb } from './db';
import { Outbox } from './outbox';
import { GroupCommit } from './group-commit';

const event = (n: number) => ({ id: randomUUID(), type: 'motion', ts: n });

function openOutbox(dir: string, capacity: number): { outbox: Outbox; commits: GroupCommit } {
  const db = openDb(dir);
  const commits = new GroupCommit(db);
  return { outbox: new Outbox(db, capacity, commits), commits };
}

describe('outbox', () => {
  it('keeps order, refuses duplicates and, when full, new events (never older ones)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const { outbox } = openOutbox(dir, 3);
    const first = event(1);
    expect(await outbox.append(first)).toBe('stored');
    expect(await outbox.append(first)).toBe('duplicate');
    await outbox.append(event(2));
    await outbox.append(event(3));
    expect(await outbox.append(event(4))).toBe('full');
    expect(outbox.refused).toBe(1);
    const batch = outbox.nextBatch(2)!;
    expect(batch.events.map((e) => e.ts)).toEqual([1, 2]);
    expect(outbox.acknowledge(batch.lastSeq)).toBe(2);
    expect(outbox.nextBatch(10)!.events.map((e) => e.ts)).toEqual([3]);
    // Reopened from disk: the depth is what is really stored.
    expect(openOutbox(dir, 3).outbox.depth).toBe(1);
  });

  it('commits the appends of one tick in one transaction and settles each only after it', async () => {
    const { outbox, commits } = openOutbox(mkdtempSync(join(tmpdir(), 'outbox-')), 1_000);
    const appends = Array.from({ length: 50 }, (_, i) => outbox.append(event(i)));
    // Nothing is readable (or acknowledged) before the commit; capacity already counts the queue.
    expect(outbox.nextBatch(100)).toBeUndefined();
    expect(outbox.depth).toBe(50);
    expect(await Promise.all(appends)).toEqual(Array(50).fill('stored'));
    expect(commits.commits).toBe(1);
    expect(outbox.nextBatch(100)!.events.map((e) => e.ts)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('reports a failed commit as failed, never as stored', async () => {
    const db = openDb(mkdtempSync(join(tmpdir(), 'outbox-')));
    const commits = new GroupCommit(db);
    const outbox = new Outbox(db, 10, commits);
    db.exec('CREATE TRIGGER refuse BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, \'disk says no\'); END');
    expect(await outbox.append(event(1))).toBe('failed');
    expect(outbox.failed).toBe(1);
    expect(outbox.depth).toBe(0);
  });
});
