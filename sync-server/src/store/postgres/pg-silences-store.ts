import type { SilenceRecord } from '../notification-records';
import { silenceColumns, toSilence, type SilenceRow } from '../silences-store';
import type { SilencesPort } from '../ports';
import type { PgDb } from './pg-db';

const SQL = {
  insert: `INSERT INTO notification_silences (tenant_id, id, site_id, device_id, types, starts_at, ends_at, reason, author_id,
    author_name, created_at, ended_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL)`,
  one: 'SELECT * FROM notification_silences WHERE tenant_id = $1 AND id = $2',
  since: `SELECT * FROM notification_silences WHERE tenant_id = $1 AND COALESCE(ended_at, ends_at) > $2 ORDER BY starts_at, id`,
  end: `UPDATE notification_silences SET ended_at = $1 WHERE tenant_id = $2 AND id = $3 AND ended_at IS NULL AND ends_at > $1`,
} as const;

/** Silences and maintenance windows in PostgreSQL (the same contract as SilencesStore). */
export class PgSilencesStore implements SilencesPort {
  constructor(private readonly db: PgDb) {}

  async add(s: SilenceRecord): Promise<void> {
    await this.db.pool.query(SQL.insert, Object.values(silenceColumns(s)));
  }

  async one(tenantId: string, id: string): Promise<SilenceRecord | undefined> {
    const row = (await this.db.pool.query<SilenceRow>(SQL.one, [tenantId, id])).rows[0];
    return row ? toSilence(row) : undefined;
  }

  async since(tenantId: string, since: number): Promise<SilenceRecord[]> {
    return (await this.db.pool.query<SilenceRow>(SQL.since, [tenantId, since])).rows.map(toSilence);
  }

  async end(tenantId: string, id: string, at: number): Promise<boolean> {
    return ((await this.db.pool.query(SQL.end, [at, tenantId, id])).rowCount ?? 0) === 1;
  }
}
