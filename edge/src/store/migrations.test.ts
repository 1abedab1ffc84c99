import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDb } from './db';
import { Outbox } from './outbox';
import { GroupCommit } from '@cr/store-kit';

describe('edge file layout', () => {
  it('upgrades an outbox keyed by a unique event id: events, order and replay refusal survive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'layout-'));
    const old = new Database(join(dir, 'edge.sqlite'));
    old.exec('CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)');
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    ids.forEach((id, i) => old.prepare('INSERT INTO outbox (id, body) VALUES (?, ?)').run(id, JSON.stringify({ id, type: 'motion', ts: i })));
    old.prepare('DELETE FROM outbox WHERE seq = 1').run();
    old.close();

    const db = openDb(dir);
    const commits = new GroupCommit(db);
    const outbox = new Outbox(db, 100, commits);
    expect(outbox.depth).toBe(2);
    expect(await outbox.append({ id: ids[2]!, type: 'motion', ts: 9 }, 'device')).toBe('duplicate');
    expect(await outbox.append({ id: randomUUID(), type: 'motion', ts: 3 })).toBe('stored');
    const batch = outbox.nextBatch(10)!;
    expect(batch.events.map((e) => e.ts)).toEqual([1, 2, 3]);
    // The sequence carries on: the new event follows the old ones.
    expect(batch.firstSeq).toBe(2);
    expect(batch.lastSeq).toBe(4);
    db.close();
    // Opening again is a no-op.
    expect(new Outbox(openDb(dir), 100, new GroupCommit(openDb(dir))).depth).toBe(3);
  });
});
