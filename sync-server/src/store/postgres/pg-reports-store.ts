import type { ReportsPort } from '../ports';
import type { ReportJob } from '../reports-store';
import type { PgDb } from './pg-db';

const COLUMNS = `id, tenant_id AS "tenantId", site_id AS "siteId", period, format, from_ts AS "from", to_ts AS "to", status,
  progress, error, created_by AS "createdBy", created_at AS "createdAt", finished_at AS "finishedAt"`;

const SQL = {
  insert: `INSERT INTO report_jobs (id, tenant_id, site_id, period, format, from_ts, to_ts, status, progress, created_by, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  byId: `SELECT ${COLUMNS} FROM report_jobs WHERE id = $1`,
  ofTenant: `SELECT ${COLUMNS} FROM report_jobs WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 100`,
  progress: 'UPDATE report_jobs SET status = $1, progress = $2 WHERE id = $3',
  finish: 'UPDATE report_jobs SET status = $1, progress = 1, error = $2, content = $3, finished_at = $4 WHERE id = $5',
  content: 'SELECT content FROM report_jobs WHERE id = $1',
  deleteBefore: `DELETE FROM report_jobs WHERE id IN
    (SELECT id FROM report_jobs WHERE created_at < $1 AND status IN ('done', 'failed') LIMIT $2)`,
} as const;

type JobRow = Omit<ReportJob, 'error' | 'finishedAt'> & { error: string | null; finishedAt: number | null };

const toJob = (r: JobRow): ReportJob => {
  const { error, finishedAt, ...rest } = r;
  return { ...rest, ...(error ? { error } : {}), ...(finishedAt ? { finishedAt } : {}) };
};

/** Report jobs and their finished files in PostgreSQL (the same contract as ReportsStore). */
export class PgReportsStore implements ReportsPort {
  constructor(private readonly db: PgDb) {}

  async insert(job: ReportJob): Promise<void> {
    await this.db.pool.query(SQL.insert, [
      job.id,
      job.tenantId,
      job.siteId,
      job.period,
      job.format,
      job.from,
      job.to,
      job.status,
      job.progress,
      job.createdBy,
      job.createdAt,
    ]);
  }

  async byId(id: string): Promise<ReportJob | undefined> {
    const row = (await this.db.pool.query<JobRow>(SQL.byId, [id])).rows[0];
    return row ? toJob(row) : undefined;
  }

  async ofTenant(tenantId: string): Promise<ReportJob[]> {
    return (await this.db.pool.query<JobRow>(SQL.ofTenant, [tenantId])).rows.map(toJob);
  }

  async setProgress(id: string, progress: number): Promise<void> {
    await this.db.pool.query(SQL.progress, ['running', progress, id]);
  }

  async finish(id: string, content: Buffer | null, error?: string, now = Date.now()): Promise<void> {
    await this.db.pool.query(SQL.finish, [error ? 'failed' : 'done', error ?? null, content, now, id]);
  }

  async content(id: string): Promise<Buffer | undefined> {
    const row = (await this.db.pool.query<{ content: Buffer | null }>(SQL.content, [id])).rows[0];
    return row?.content ?? undefined;
  }

  /** Deletes up to `limit` finished jobs (and their files) created before `before`; returns how many (retention). */
  async deleteBefore(before: number, limit: number): Promise<number> {
    return (await this.db.pool.query(SQL.deleteBefore, [before, limit])).rowCount ?? 0;
  }
}
