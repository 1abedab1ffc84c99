import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from './db';
import { EventsStore } from './events-store';
import { GroupCommit, type CommitReport } from './group-commit';
import { MIGRATIONS } from './migrations';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-group-commit-'));
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

describe('group commit', () => {
  it('stores batches queued in one tick in one transaction, and resolves each only once committed', async () => {
    const reports: CommitReport[] = [];
    const commits = new GroupCommit(db, (r) => reports.push(r));
    const events = new EventsStore(db);
    const again = event();
    const sites = ['gangnam', 'hongdae', 'yeouido'];
    const acks = sites.map((site) => commits.run(() => events.insertRows('demo', site, [event(), again])));
    // A re-sent batch in the same group finds its events already stored.
    acks.push(commits.run(() => events.insertRows('demo', 'gangnam', [again])));
    expect(committedRows()).toBe(0);
    const results = await Promise.all(acks);
    expect(committedRows()).toBe(6);
    expect(results).toEqual([
      { stored: 2, duplicates: 0 },
      { stored: 2, duplicates: 0 },
      { stored: 2, duplicates: 0 },
      { stored: 0, duplicates: 1 },
    ]);
    expect(reports).toEqual([expect.objectContaining({ writes: 4, failed: 0 })]);
  });

  it('tells a group only after its log flush, which runs while the next group commits', async () => {
    const commits = new GroupCommit(db);
    const events = new EventsStore(db);
    const told: string[] = [];
    const first = commits.run(() => events.insertRows('demo', 'gangnam', [event()])).then(() => told.push('first'));
    await new Promise((r) => setImmediate(r));
    // Committed (another connection reads it) but not yet flushed: not acknowledged yet.
    expect(committedRows()).toBe(1);
    expect(told).toEqual([]);
    const second = commits.run(() => events.insertRows('demo', 'hongdae', [event()])).then(() => told.push('second'));
    await Promise.all([first, second]);
    expect(told).toEqual(['first', 'second']);
    expect(commits.syncs).toBeGreaterThanOrEqual(1);
  });

  it('flush commits durably before returning and first tells the groups still waiting for a log flush', async () => {
    const commits = new GroupCommit(db);
    const events = new EventsStore(db);
    const told: string[] = [];
    const background = commits.run(() => events.insertRows('demo', 'gangnam', [event()])).then(() => told.push('background'));
    await new Promise((r) => setImmediate(r));
    const cloudMade = commits.run(() => events.insertRows('demo', 'hongdae', [event()])).then(() => told.push('cloud'));
    commits.flush();
    expect(committedRows()).toBe(2);
    await Promise.all([background, cloudMade]);
    expect(told).toEqual(['background', 'cloud']);
  });

  it('rejects a failing write alone and commits the others of its group', async () => {
    const commits = new GroupCommit(db);
    const events = new EventsStore(db);
    const good = commits.run(() => events.insertRows('demo', 'gangnam', [event()]));
    const bad = commits.run(() => {
      events.insertRows('demo', 'hongdae', [event()]);
      throw new Error('bad batch');
    });
    await expect(bad).rejects.toThrow('bad batch');
    expect(await good).toEqual({ stored: 1, duplicates: 0 });
    expect(committedRows()).toBe(1);
  });

  it('rejects every write of a group whose commit fails, and flush reports it', async () => {
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`);
    const commits = new GroupCommit(db);
    const events = new EventsStore(db);
    const batch = commits.run(() => events.insertRows('demo', 'gangnam', [event()]));
    // A deferred foreign key is checked at COMMIT: the whole transaction fails there.
    const orphan = commits.run(() => db.prepare('INSERT INTO child VALUES (42)').run());
    expect(() => commits.flush()).toThrow(/FOREIGN KEY/);
    await expect(batch).rejects.toThrow(/FOREIGN KEY/);
    await expect(orphan).rejects.toThrow(/FOREIGN KEY/);
    expect(committedRows()).toBe(0);
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
