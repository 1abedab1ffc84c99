import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** Log pages after which the committing connection checkpoints (while no checkpoint thread runs). */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

/**
 * Opens (and migrates) the cloud's SQLite database. WAL lets readers run beside the writer;
 * `synchronous = FULL` makes every committed transaction survive power loss, which is what
 * "stored durably before acknowledging" needs for updates and event batches.
 */
export function openDb(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Throughput without giving up durability: a 32 MiB page cache keeps the event indexes' hot
  // pages in memory; checkpoints every ~16 MiB of WAL instead of 4 copy a page rewritten by many
  // commits back once; temporary b-trees (sorts, grouping in reports) stay off the disk.
  db.pragma('cache_size = -32768');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma('temp_store = MEMORY');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
