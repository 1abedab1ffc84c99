import type { JobLeases } from '../job-leases';
import type { PgDb } from './pg-db';

// The database's clock decides, so instances with skewed clocks never both hold a lease.
const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;

const SQL = {
  acquire: `INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, ${NOW_MS} + $3)
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
    WHERE job_leases.holder = excluded.holder OR job_leases.expires_at <= ${NOW_MS}
    RETURNING holder`,
  release: 'DELETE FROM job_leases WHERE name = $1 AND holder = $2',
} as const;

/** Leases in PostgreSQL, shared by every instance on the store. */
export class PgJobLeases implements JobLeases {
  constructor(private readonly db: PgDb) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const r = await this.db.pool.query(SQL.acquire, [name, holder, Math.max(1, Math.round(ttlMs))]);
    return (r.rowCount ?? 0) > 0;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db.pool.query(SQL.release, [name, holder]);
  }
}
