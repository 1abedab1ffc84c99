import pg from 'pg';
import { ServiceUnreachable } from '../../service-unreachable';
import { POSTGRES_MIGRATIONS } from './migrations';

/** Something to run a query on: the pool, or one connection inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/** A pool of connections to the cloud's PostgreSQL database, migrated. */
export interface PgDb {
  readonly pool: pg.Pool;
  /** Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The stores' view of one open transaction: every query runs on `client`, and a store's own
 * transaction joins it (PostgreSQL has no nested BEGIN). For writes that must commit together.
 */
export function inTransactionOf(client: pg.PoolClient): PgDb {
  return {
    // Stores call only `query`, which a connection answers exactly as the pool does.
    pool: client as unknown as pg.Pool,
    tx: (fn) => fn(client),
    close: async () => undefined,
  };
}

// Epoch milliseconds are BIGINT; they fit a JavaScript number exactly until the year 287396.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** The store did not answer at start (said in one line, without credentials). */
export class StoreUnreachable extends ServiceUnreachable {}

/** Where a PostgreSQL URL points (host, port, database), never its user or password. */
export function whereOf(url: string): string {
  try {
    const u = new URL(url);
    return `postgres://${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** Serialises migrations of instances that start at the same moment. */
const MIGRATION_LOCK = 727_001;

/** Opens a pool on `url` (postgres://…) and applies every migration not yet applied. */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<PgDb> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, application_name: 'cr-cloud', connectionTimeoutMillis: 10_000 });
  // An idle connection dropped by the server (restart, failover) must not crash the process.
  pool.on('error', () => undefined);
  const db: PgDb = {
    pool,
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
  await migrate(db);
  return db;
}

async function migrate(db: PgDb): Promise<void> {
  await db.tx(async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const r = await c.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    for (let v = r.rows[0]?.v ?? 0; v < POSTGRES_MIGRATIONS.length; v++) {
      await c.query(POSTGRES_MIGRATIONS[v]!);
      await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [v + 1, Date.now()]);
    }
  });
}
