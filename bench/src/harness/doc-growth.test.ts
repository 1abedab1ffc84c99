import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { growthPerSiteHour, sampleDocStore, type DocStoreSample } from './doc-growth';

const sample = (at: number, s: Partial<DocStoreSample>): DocStoreSample => ({ at, docs: 2, rows: 0, storedBytes: 0, mergedBytes: 0, maxSeq: 0, ...s });

describe('growthPerSiteHour', () => {
  it('extrapolates a 60 s window to one site and one hour', () => {
    const g = growthPerSiteHour(sample(0, { mergedBytes: 1000, storedBytes: 5000, maxSeq: 10 }), sample(60_000, { mergedBytes: 3000, storedBytes: 4000, maxSeq: 410 }), 2);
    expect(g.windowS).toBe(60);
    // 2000 bytes over 2 sites in a minute = 1000 per site per minute = 60 000 per hour
    expect(g.mergedBytes).toBe(60_000);
    // compaction may shrink what is stored: the growth is then negative, not hidden
    expect(g.storedBytes).toBe(-30_000);
    expect(g.rowsAppended).toBe(12_000);
  });
  it('refuses an empty window and zero sites', () => {
    expect(() => growthPerSiteHour(sample(5, {}), sample(5, {}), 1)).toThrow(/longer than 0 s/);
    expect(() => growthPerSiteHour(sample(0, {}), sample(1000, {}), 0)).toThrow(/at least one site/);
  });
});

describe('sampleDocStore', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('sums the rows of the documents under a prefix and measures their merged state', () => {
    dir = mkdtempSync(join(tmpdir(), 'doc-growth-'));
    const db = new Database(join(dir, 'cloud.db'));
    db.exec('CREATE TABLE doc_updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_name TEXT NOT NULL, data BLOB NOT NULL, created_at INTEGER NOT NULL)');
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 5; i++) doc.getMap('state').set('door-1', { locked: i % 2 === 0, ts: i });
    const insert = db.prepare('INSERT INTO doc_updates (doc_name, data, created_at) VALUES (?, ?, 0)');
    for (const u of updates) insert.run('site:demo:a', Buffer.from(u));
    insert.run('tenant:demo', Buffer.from(Y.encodeStateAsUpdate(new Y.Doc())));
    db.close();

    const s = sampleDocStore(dir, 'site:demo:');
    expect(s.docs).toBe(1);
    expect(s.rows).toBe(5);
    expect(s.storedBytes).toBe(updates.reduce((n, u) => n + u.byteLength, 0));
    expect(s.mergedBytes).toBe(Y.mergeUpdates(updates).byteLength);
    expect(s.maxSeq).toBe(6);
  });
});
