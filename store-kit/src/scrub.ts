import type Database from 'better-sqlite3';

/**
 * Runs `fn` with `secure_delete` on: content it deletes or overwrites is zeroed in the file, not
 * left in free space where a copy of the database would still show it.
 */
export function withSecureDelete<T>(db: Database.Database, fn: () => T): T {
  const before = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    return fn();
  } finally {
    db.pragma(`secure_delete = ${before}`);
  }
}

/**
 * Zeroes the pages on the free list, which may still hold what was deleted before `secure_delete`
 * was on (plaintext from before an encrypting migration): a zero-filled blob takes them over and is
 * dropped again. Costs writes in proportion to the free space, not to the file. Then moves the log
 * into the file, so no older page image stays in the `-wal` either (best effort: a reader may hold it).
 */
export function scrubFreePages(db: Database.Database): void {
  const free = db.pragma('freelist_count', { simple: true }) as number;
  if (free > 0) {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    withSecureDelete(db, () =>
      db.transaction(() => {
        db.exec('CREATE TABLE scrub_free_pages (b BLOB)');
        db.prepare('INSERT INTO scrub_free_pages (b) VALUES (zeroblob(?))').run(free * pageSize);
        db.exec('DROP TABLE scrub_free_pages');
      })(),
    );
  }
  if (!db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
}
