/** Outbox append benchmarks: one commit per append (the old way) against group commit. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../src/store/db';
import { Outbox } from '../src/store/outbox';
import { GroupCommit } from '@cr/store-kit';

type Sync = 'normal' | 'full';
const accessEvent = () => ({ id: randomUUID(), type: 'access.granted', ts: Date.now(), deviceId: 'reader-1', data: { reason: 'granted', memberId: 'member-0001' } });
const tempDb = (sync: Sync) => openDb(mkdtempSync(join(tmpdir(), 'edge-bench-outbox-')), sync);

/** Each append its own transaction (what a per-message commit costs). */
export function perAppendCommit(sync: Sync, seconds = 2) {
  const db = tempDb(sync);
  const insert = db.prepare('INSERT INTO outbox (body) VALUES (?)');
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    const e = accessEvent();
    insert.run(JSON.stringify(e));
    n++;
  }
  db.close();
  return { sync, mode: 'commit per append', appendsPerSec: Math.round(n / seconds) };
}

/**
 * `producers` concurrent sources (devices), each appending one event and waiting for its commit
 * before the next, as a device waits for its PUBACK: group commit batches whatever is in flight.
 */
export async function groupCommit(sync: Sync, producers: number, windowMs = 0, seconds = 2) {
  const db = tempDb(sync);
  const commits = new GroupCommit(db, windowMs);
  const outbox = new Outbox(db, 100_000_000, commits);
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const waits: number[] = [];
  await Promise.all(
    Array.from({ length: producers }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await outbox.append(accessEvent());
        waits.push(performance.now() - t0);
        n++;
      }
    }),
  );
  db.close();
  waits.sort((a, b) => a - b);
  const pct = (p: number) => Math.round((waits[Math.floor((p / 100) * (waits.length - 1))] ?? NaN) * 1000) / 1000;
  return { sync, mode: 'group commit', producers, windowMs, appendsPerSec: Math.round(n / seconds), eventsPerCommit: Math.round((n / commits.commits) * 10) / 10, commitWaitP50ms: pct(50), commitWaitP99ms: pct(99) };
}
