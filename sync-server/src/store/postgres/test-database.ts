import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where tests find PostgreSQL: `CR_TEST_PG_URL`, else the local server's standard address. */
export const TEST_PG_URL = process.env.CR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether PostgreSQL answers at TEST_PG_URL (suites that need it say plainly when it does not). */
export async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** A fresh database of its own for one test run; `drop()` removes it. */
export async function createTestDatabase(
  prefix = 'cr_test',
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
