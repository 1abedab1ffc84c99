import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A WAL database file with one key-value table, set up as the edge and the cloud set theirs up. */
export interface ScratchDb {
  db: Database.Database;
  file: string;
  put: Database.Statement<[string, string | Buffer]>;
  /** Keys as a second connection sees them: only what was committed. */
  committedKeys(): string[];
  /** Closes the connection and returns the keys a fresh one finds in the file (what survived). */
  keysAfterReopen(): string[];
}

const KEYS = 'SELECT key FROM kv ORDER BY key';

export function openScratchDb(dir = mkdtempSync(join(tmpdir(), 'store-kit-')), name = 'store.db'): ScratchDb {
  const file = join(dir, name);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value BLOB NOT NULL)');
  const keysIn = (conn: Database.Database): string[] =>
    conn
      .prepare<[], { key: string }>(KEYS)
      .all()
      .map((r) => r.key);
  const withFresh = (readonly: boolean): string[] => {
    const conn = new Database(file, { readonly });
    try {
      return keysIn(conn);
    } finally {
      conn.close();
    }
  };
  return {
    db,
    file,
    put: db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)'),
    committedKeys: () => withFresh(true),
    keysAfterReopen: () => {
      if (db.open) db.close();
      return withFresh(false);
    },
  };
}
