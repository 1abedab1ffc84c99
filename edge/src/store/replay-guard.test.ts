import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from './db';
import { ReplayGuard } from './replay-guard';

const newDb = () => openDb(mkdtempSync(join(tmpdir(), 'replay-')));

describe('replay guard', () => {
  it('remembers ids up to its count bound, forgetting the oldest first', () => {
    const guard = new ReplayGuard(newDb(), { windowMs: 3_600_000, maxIds: 3 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) expect(guard.claim(id, 1_000)).toBe(true);
    expect(guard.prune(1_000)).toBe(2);
    expect(guard.claim('a', 1_000)).toBe(true);
    expect(guard.claim('c', 1_000)).toBe(false);
    expect(guard.claim('e', 1_000)).toBe(false);
  });

  it('forgets ids older than its window and keeps newer ones', () => {
    const guard = new ReplayGuard(newDb(), { windowMs: 1_000, maxIds: 100 });
    guard.claim('old-1', 0);
    guard.claim('old-2', 500);
    guard.claim('new', 5_000);
    expect(guard.prune(5_200)).toBe(2);
    expect(guard.prune(5_200)).toBe(0);
    expect(guard.claim('old-1', 5_200)).toBe(true);
    expect(guard.claim('new', 5_200)).toBe(false);
  });

  it('prunes a large expired backlog a bounded chunk at a time', () => {
    const db = newDb();
    const guard = new ReplayGuard(db, { windowMs: 1_000, maxIds: 1_000_000 });
    db.transaction(() => {
      for (let i = 0; i < 2_500; i++) guard.claim(`id-${i}`, 0);
    })();
    const steps = [guard.prune(10_000), guard.prune(10_000), guard.prune(10_000), guard.prune(10_000)];
    expect(steps).toEqual([1_000, 1_000, 500, 0]);
  });
});
