import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../store/db';
import { GroupCommit } from '@cr/store-kit';
import { CommandBook, type CommandRecord } from './command-book';

const record = (id: string, status: CommandRecord['status'] = 'pending'): CommandRecord => ({
  id, status, siteId: 's', target: { kind: 'mode', mode: 'secure' }, source: 'local', createdAt: 1, updatedAt: 1,
});

function reopen(dir: string, max: number): { book: CommandBook; commits: GroupCommit } {
  const db = openDb(dir);
  const commits = new GroupCommit(db);
  return { book: new CommandBook(db, commits, (err) => { throw err; }, max), commits };
}

describe('command book', () => {
  it('keeps outcomes across a restart, bounded to the newest records', () => {
    const dir = mkdtempSync(join(tmpdir(), 'commands-'));
    const { book, commits } = reopen(dir, 3);
    for (const id of ['c1', 'c2', 'c3', 'c4']) book.put(record(id));
    book.update('c4', 'executed', 5);
    book.update('c3', 'rejected', 6, 'not authorized');
    commits.flush();
    const after = reopen(dir, 3).book;
    expect(after.has('c1')).toBe(false);
    expect(after.get('c4')).toMatchObject({ status: 'executed', updatedAt: 5 });
    expect(after.get('c3')).toMatchObject({ status: 'rejected', error: 'not authorized' });
  });

  it('marks a command that was still running when the edge stopped as failed, and remembers its id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'commands-'));
    const { book, commits } = reopen(dir, 10);
    book.put(record('c1'));
    book.update('c1', 'sent', 2);
    commits.flush();
    const after = reopen(dir, 10).book;
    expect(after.get('c1')).toMatchObject({ status: 'failed', error: expect.stringMatching(/restarted/) });
    // A replayed command id is still recognised after the restart.
    expect(after.has('c1')).toBe(true);
  });
});
