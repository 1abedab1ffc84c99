import type { Db } from './db';

export type ReportPeriod = 'daily' | 'weekly' | 'monthly';
export type ReportFormat = 'csv' | 'pdf';
export type ReportStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ReportJob {
  id: string;
  tenantId: string;
  siteId: string | null;
  period: ReportPeriod;
  format: ReportFormat;
  from: number;
  to: number;
  status: ReportStatus;
  progress: number;
  error?: string;
  createdBy: string;
  createdAt: number;
  finishedAt?: number;
}

const SQL = {
  insert: `INSERT INTO report_jobs (id, tenant_id, site_id, period, format, from_ts, to_ts, status, progress, created_by, created_at)
    VALUES (@id, @tenantId, @siteId, @period, @format, @from, @to, @status, @progress, @createdBy, @createdAt)`,
  byId: `SELECT id, tenant_id AS tenantId, site_id AS siteId, period, format, from_ts AS "from", to_ts AS "to", status, progress,
    error, created_by AS createdBy, created_at AS createdAt, finished_at AS finishedAt FROM report_jobs WHERE id = ?`,
  ofTenant: `SELECT id, tenant_id AS tenantId, site_id AS siteId, period, format, from_ts AS "from", to_ts AS "to", status, progress,
    error, created_by AS createdBy, created_at AS createdAt, finished_at AS finishedAt FROM report_jobs
    WHERE tenant_id = ? ORDER BY created_at DESC LIMIT 100`,
  progress: 'UPDATE report_jobs SET status = ?, progress = ? WHERE id = ?',
  finish: 'UPDATE report_jobs SET status = ?, progress = 1, error = ?, content = ?, finished_at = ? WHERE id = ?',
  content: 'SELECT content FROM report_jobs WHERE id = ?',
  deleteBefore: `DELETE FROM report_jobs WHERE id IN
    (SELECT id FROM report_jobs WHERE created_at < ? AND status IN ('done', 'failed') LIMIT ?)`,
} as const;

type JobRow = Omit<ReportJob, 'error' | 'finishedAt'> & { error: string | null; finishedAt: number | null };

const toJob = (r: JobRow): ReportJob => {
  const { error, finishedAt, ...rest } = r;
  return { ...rest, ...(error ? { error } : {}), ...(finishedAt ? { finishedAt } : {}) };
};

/** Report jobs and their finished files. */
export class ReportsStore {
  constructor(private readonly db: Db) {}

  insert(job: ReportJob): void {
    this.db.prepare(SQL.insert).run({ ...job });
  }

  byId(id: string): ReportJob | undefined {
    const row = this.db.prepare(SQL.byId).get(id) as JobRow | undefined;
    return row ? toJob(row) : undefined;
  }

  ofTenant(tenantId: string): ReportJob[] {
    return (this.db.prepare(SQL.ofTenant).all(tenantId) as JobRow[]).map(toJob);
  }

  setProgress(id: string, progress: number): void {
    this.db.prepare(SQL.progress).run('running', progress, id);
  }

  finish(id: string, content: Buffer | null, error?: string, now = Date.now()): void {
    this.db.prepare(SQL.finish).run(error ? 'failed' : 'done', error ?? null, content, now, id);
  }

  content(id: string): Buffer | undefined {
    const row = this.db.prepare(SQL.content).get(id) as { content: Buffer | null } | undefined;
    return row?.content ?? undefined;
  }

  /** Deletes up to `limit` finished jobs (and their files) created before `before`; returns how many (retention). */
  deleteBefore(before: number, limit: number): number {
    return this.db.prepare(SQL.deleteBefore).run(before, limit).changes;
  }
}
