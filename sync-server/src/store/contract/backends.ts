import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { openDb, type Db } from '../db';
import { openPostgres, type PgDb } from '../postgres/pg-db';
import { createTestDatabase, TEST_PG_URL } from '../postgres/test-database';
import { serviceGate } from '../../testing/services';

/** One store backend under test: the embedded SQLite default or PostgreSQL. */
export type Backend = { kind: 'sqlite'; db: Db } | { kind: 'postgres'; pg: PgDb };

const pgGate = serviceGate('PostgreSQL', TEST_PG_URL);

/**
 * Runs the same suite against SQLite (a fresh in-memory database per test) and PostgreSQL (a
 * database of its own per suite, every table emptied before each test). `current()` is the backend
 * of the running test.
 */
export function describeBackends(name: string, suite: (current: () => Backend) => void): void {
  describe(`${name} (sqlite)`, () => {
    let backend: Backend;
    beforeEach(() => {
      backend = { kind: 'sqlite', db: openDb(':memory:') };
    });
    suite(() => backend);
  });

  const available = pgGate.available();
  describe.runIf(available)(`${name} (postgres)`, () => {
    let pg: PgDb;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const tdb = await createTestDatabase();
      drop = tdb.drop;
      pg = await openPostgres(tdb.url, { max: 4 });
    });
    afterAll(async () => {
      await pg?.close();
      await drop?.();
    });
    beforeEach(async () => {
      const r = await pg.pool.query<{ tablename: string }>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`,
      );
      if (r.rows.length > 0)
        await pg.pool.query(`TRUNCATE ${r.rows.map((t) => `"${t.tablename}"`).join(', ')} CASCADE`);
    });
    suite(() => ({ kind: 'postgres', pg }));
  });
}
