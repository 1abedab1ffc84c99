import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GroupCommit } from '@cr/store-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from './db';
import { EventsStore } from './events-store';
import { MIGRATIONS } from './migrations';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-events-'));
  db = openDb(join(dir, 'cloud.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const event = (id = randomUUID()) => ({ id, type: 'access.granted', ts: Date.now(), deviceId: 'reader-lobby' });
/** Rows as a second connection (another process, an auditor) sees them: only what was committed. */
const committedRows = (): number => {
  const reader = new Database(join(dir, 'cloud.db'), { readonly: true });
  try {
    return (reader.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    reader.close();
  }
};

describe('event batches under the cloud group commit', () => {
  it('stores batches of one tick in one transaction, a re-sent event once, and acknowledges each once durable', async () => {
    const commits = new GroupCommit(db, { flushLogOffLoop: true });
    const events = new EventsStore(db);
    const again = event();
    const acks = ['gangnam', 'hongdae', 'yeouido'].map((site) =>
      commits.run(() => events.insertRows('demo', site, [event(), again])),
    );
    // A re-sent batch in the same group finds its events already stored.
    acks.push(commits.run(() => events.insertRows('demo', 'gangnam', [again])));
    expect(committedRows()).toBe(0);
    expect(await Promise.all(acks)).toEqual([
      { stored: 2, duplicates: 0 },
      { stored: 2, duplicates: 0 },
      { stored: 2, duplicates: 0 },
      { stored: 0, duplicates: 1 },
    ]);
    expect(committedRows()).toBe(6);
    expect(commits.commits).toBe(1);
    await commits.close();
  });
});

describe('events table migration', () => {
  it('keeps every event of an older store and still stores each id once', () => {
    db.close();
    rmSync(join(dir, 'cloud.db'));
    const old = new Database(join(dir, 'cloud.db'));
    old.exec(MIGRATIONS[0]!);
    old.exec(MIGRATIONS[1]!);
    old.pragma('user_version = 2');
    const insert = old.prepare(
      `INSERT INTO events (tenant_id, site_id, id, type, ts, device_id, data, received_at) VALUES ('demo', ?, ?, 'access.granted', ?, NULL, '{"a":1}', 1)`,
    );
    const ids = [randomUUID(), randomUUID()];
    insert.run('gangnam', ids[0], 1000);
    insert.run('gangnam', ids[1], 2000);
    old.close();
    db = openDb(join(dir, 'cloud.db'));
    const events = new EventsStore(db);
    expect(events.page({ tenantId: 'demo', siteId: 'gangnam', limit: 10 }).map((e) => [e.id, e.ts, e.data])).toEqual([
      [ids[1], 2000, { a: 1 }],
      [ids[0], 1000, { a: 1 }],
    ]);
    expect(events.insertBatch('demo', 'gangnam', [{ ...event(ids[0]), ts: 1000 }, event()])).toEqual({
      stored: 1,
      duplicates: 1,
    });
  });
});
