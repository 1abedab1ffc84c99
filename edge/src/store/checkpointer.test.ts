import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from './db';
import { Checkpointer } from './checkpointer';

describe('background checkpointer', () => {
  it('keeps the WAL short while the main connection commits, without SQLite checkpointing inside commits', async () => {
    const db = openDb(mkdtempSync(join(tmpdir(), 'checkpoint-')), 'full', { backgroundCheckpoints: true });
    db.pragma('wal_autocheckpoint = 0'); // only the worker may checkpoint here
    const errors: string[] = [];
    const checkpointer = new Checkpointer(db.name, 'full', 10, (m) => errors.push(m));
    const put = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)');
    const blob = 'x'.repeat(64 * 1024);
    // 200 commits of 64 KiB: 12.5 MiB through the WAL.
    for (let i = 0; i < 200; i++) {
      put.run(`k${i}`, blob);
      await new Promise((r) => setTimeout(r, 2));
    }
    const walBytes = statSync(`${db.name}-wal`).size;
    await checkpointer.stop();
    db.close();
    expect(errors).toEqual([]);
    expect(walBytes).toBeLessThan(6 * 1024 * 1024);
  });
});
