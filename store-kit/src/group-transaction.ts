import type Database from 'better-sqlite3';

/** How one write of a group ended. */
export type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

/**
 * Result codes that mean the storage failed, not the write: the disk is full, an I/O error, memory,
 * a damaged file, a lock held elsewhere. Later writes of the group would meet the same failure, and
 * what earlier ones wrote cannot be made durable, so the whole transaction fails.
 */
const STORAGE_FAILURE = /^SQLITE_(FULL|IOERR|NOMEM|CORRUPT|NOTADB|CANTOPEN|READONLY|BUSY)/;

/** True when `err` must fail every write of the transaction rather than only the write that threw. */
export function failsTransaction(db: Database.Database, err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // SQLite may roll the whole transaction back by itself (SQLITE_FULL, SQLITE_IOERR): running the
  // remaining writes then would commit each of them alone, outside any transaction.
  return !db.inTransaction || (typeof code === 'string' && STORAGE_FAILURE.test(code));
}

/**
 * Returns a function that runs a group of writes in one transaction, each in its own SAVEPOINT: a
 * write that throws is rolled back and fails alone while the others commit. It throws (and SQLite
 * rolls everything back) when the transaction itself fails: a storage failure in any write, or
 * COMMIT failing (disk full, I/O error, a deferred foreign key).
 */
export function groupTransaction(db: Database.Database): (writes: ReadonlyArray<() => unknown>) => Outcome[] {
  // better-sqlite3 runs a transaction function called inside another transaction as a SAVEPOINT.
  const savepoint = db.transaction((write: () => unknown) => write());
  return db.transaction((writes: ReadonlyArray<() => unknown>) =>
    writes.map((write): Outcome => {
      try {
        return { ok: true, value: savepoint(write) };
      } catch (err) {
        if (failsTransaction(db, err)) throw err;
        return { ok: false, err };
      }
    }),
  );
}
