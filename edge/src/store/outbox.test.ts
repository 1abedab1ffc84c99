import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { edgeToCloudSchema } from '@cr/shared';
import { openDb } from './db';
import { Outbox } from './outbox';
import { GroupCommit } from '@cr/store-kit';

const event = (n: number, data?: Record<string, unknown>) => ({ id: randomUUID(), type: 'motion', ts: n, data });

function openOutbox(dir: string, capacity: number): { outbox: Outbox; commits: GroupCommit } {
  const db = openDb(dir);
  const commits = new GroupCommit(db);
  return { outbox: new Outbox(db, capacity, commits), commits };
}

describe('outbox', () => {
  it('keeps order, refuses replayed device events and, when full, new events (never older ones)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const { outbox, commits } = openOutbox(dir, 3);
    const first = event(1);
    expect(await outbox.append(first, 'device')).toBe('stored');
    expect(await outbox.append(first, 'device')).toBe('duplicate');
    await outbox.append(event(2));
    await outbox.append(event(3));
    expect(await outbox.append(event(4))).toBe('full');
    expect(outbox.refused).toBe(1);
    const batch = outbox.nextBatch(2)!;
    expect(batch.events.map((e) => e.ts)).toEqual([1, 2]);
    const deleted = outbox.acknowledge(batch.lastSeq, 2);
    commits.flush();
    expect(await deleted).toBe(2);
    expect(outbox.nextBatch(10)!.events.map((e) => e.ts)).toEqual([3]);
    // Reopened from disk: the depth is what is really stored.
    expect(openOutbox(dir, 3).outbox.depth).toBe(1);
  });

  it('refuses a device event replayed after its first copy was uploaded and the edge restarted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const { outbox: first, commits } = openOutbox(dir, 100);
    const replayed = event(1);
    expect(await first.append(replayed, 'device')).toBe('stored');
    const deleted = first.acknowledge(first.nextBatch(10)!.lastSeq, 1);
    commits.flush();
    expect(await deleted).toBe(1);
    const reopened = openOutbox(dir, 100).outbox;
    expect(await reopened.append(replayed, 'device')).toBe('duplicate');
    expect(reopened.depth).toBe(0);
  });

  it('counts acknowledged events out at once and deletes them with the next commit, without one of their own', async () => {
    const { outbox, commits } = openOutbox(mkdtempSync(join(tmpdir(), 'outbox-')), 100);
    await Promise.all([outbox.append(event(1)), outbox.append(event(2))]);
    expect(commits.commits).toBe(1);
    const deleted = outbox.acknowledge(outbox.nextBatch(10)!.lastSeq, 2);
    expect(outbox.depth).toBe(0);
    expect(await outbox.append(event(3))).toBe('stored');
    expect(await deleted).toBe(2);
    expect(commits.commits).toBe(2);
    expect(outbox.nextBatch(10)!.events.map((e) => e.ts)).toEqual([3]);
    expect(outbox.depth).toBe(1);
  });

  it('commits the appends of one tick in one transaction and settles each only after it', async () => {
    const { outbox, commits } = openOutbox(mkdtempSync(join(tmpdir(), 'outbox-')), 1_000);
    const appends = Array.from({ length: 50 }, (_, i) => outbox.append(event(i), i % 2 ? 'device' : 'edge'));
    // Nothing is readable (or acknowledged) before the commit; capacity already counts the queue.
    expect(outbox.nextBatch(100)).toBeUndefined();
    expect(outbox.depth).toBe(50);
    expect(await Promise.all(appends)).toEqual(Array(50).fill('stored'));
    expect(commits.commits).toBe(1);
    expect(outbox.nextBatch(100)!.events.map((e) => e.ts)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('reads batches after a sequence number, bounded by count and bytes, as valid upload messages', async () => {
    const { outbox } = openOutbox(mkdtempSync(join(tmpdir(), 'outbox-')), 1_000);
    await Promise.all(Array.from({ length: 10 }, (_, i) => outbox.append(event(i, { note: 'x'.repeat(1_000) }))));
    const a = outbox.nextBatch(4)!;
    const b = outbox.nextBatch(4, a.lastSeq)!;
    expect(a.events.map((e) => e.ts)).toEqual([0, 1, 2, 3]);
    expect(b.events.map((e) => e.ts)).toEqual([4, 5, 6, 7]);
    expect(b.batchId).not.toBe(a.batchId);
    const small = outbox.nextBatch(10, 0, 2_500)!;
    expect(small.size).toBe(2);
    // A single event larger than the byte bound still goes (alone), so nothing is stuck.
    expect(outbox.nextBatch(10, 0, 10)!.size).toBe(1);
    const msg = edgeToCloudSchema.parse(JSON.parse(b.message()));
    expect(msg).toMatchObject({ type: 'events', batchId: b.batchId });
    expect(msg.type === 'events' && msg.events.map((e) => e.ts)).toEqual([4, 5, 6, 7]);
  });

  it('holds events in memory, in order, while commits fail, and commits them once the disk takes writes again', async () => {
    const db = openDb(mkdtempSync(join(tmpdir(), 'outbox-')));
    const commits = new GroupCommit(db);
    const outbox = new Outbox(db, 10, commits);
    const storage: boolean[] = [];
    outbox.onStorage = (failing) => storage.push(failing);
    db.exec('CREATE TRIGGER refuse BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, \'disk says no\'); END');
    const first = event(1);
    expect(await outbox.append(first, 'device')).toBe('held');
    expect(await outbox.append(event(2))).toBe('held');
    expect(outbox.heldInMemory).toBe(2);
    expect(outbox.depth).toBe(2);
    expect(storage).toEqual([true]);
    // A resend of a held device event is recognised: still held, not stored twice.
    expect(await outbox.append(first, 'device')).toBe('held');
    expect(outbox.heldInMemory).toBe(2);
    expect(outbox.nextBatch(10)).toBeUndefined();
    db.exec('DROP TRIGGER refuse');
    await vi.waitFor(() => expect(outbox.heldInMemory).toBe(0), { timeout: 2_000 });
    expect(storage).toEqual([true, false]);
    expect(outbox.nextBatch(10)?.events.map((e) => e.ts)).toEqual([1, 2]);
    expect(await outbox.append(first, 'device')).toBe('duplicate');
    expect(outbox.failed).toBe(0);
    outbox.close();
  });
});
