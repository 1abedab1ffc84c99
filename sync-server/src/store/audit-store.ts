import { randomUUID } from 'node:crypto';
import type { Db } from './db';

/** One audit record (CONTRACT.md §3) plus where it happened. */
export interface AuditRecord {
  id: string;
  ts: number;
  actor: string;
  action: string;
  target: string;
  result: string;
  siteId?: string;
  source?: string;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  tenantId: string;
  siteId?: string;
  /** restrict to these sites (scoped roles); undefined = all */
  siteIds?: readonly string[];
  from?: number;
  to?: number;
  limit: number;
}

const SQL = {
  insertOnce: `INSERT OR IGNORE INTO audit (id, tenant_id, ts, actor, action, target, result, site_id, source, details)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insert: `INSERT INTO audit (id, tenant_id, ts, actor, action, target, result, site_id, source, details)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  query: `SELECT id, ts, actor, action, target, result, site_id AS siteId, source, details FROM audit
    WHERE tenant_id = @tenantId AND (@siteId IS NULL OR site_id = @siteId)
      AND (@from IS NULL OR ts >= @from) AND (@to IS NULL OR ts < @to)
    ORDER BY ts DESC, seq DESC LIMIT @limit`,
} as const;

interface AuditRow {
  id: string;
  ts: number;
  actor: string;
  action: string;
  target: string;
  result: string;
  siteId: string | null;
  source: string | null;
  details: string | null;
}

/** The audit log. Append-only: the schema has triggers that refuse UPDATE and DELETE. */
export class AuditStore {
  constructor(private readonly db: Db) {}

  append(tenantId: string, rec: Omit<AuditRecord, 'id' | 'ts'> & { ts?: number }): AuditRecord {
    const full: AuditRecord = { ...rec, id: randomUUID(), ts: rec.ts ?? Date.now() };
    this.insert(SQL.insert, tenantId, full);
    return full;
  }

  /**
   * Appends a record under an id derived from the fact it records (see stableAuditId); a fact
   * reported again (a re-sent batch, a document seen after a restart) adds nothing. True if new.
   */
  appendOnce(tenantId: string, rec: AuditRecord): boolean {
    return this.insert(SQL.insertOnce, tenantId, rec) === 1;
  }

  private insert(sql: string, tenantId: string, r: AuditRecord): number {
    return this.db
      .prepare(sql)
      .run(
        r.id,
        tenantId,
        r.ts,
        r.actor,
        r.action,
        r.target,
        r.result,
        r.siteId ?? null,
        r.source ?? null,
        r.details ? JSON.stringify(r.details) : null,
      ).changes;
  }

  query(q: AuditQuery): AuditRecord[] {
    const rows = this.db.prepare(SQL.query).all({
      tenantId: q.tenantId,
      siteId: q.siteId ?? null,
      from: q.from ?? null,
      to: q.to ?? null,
      limit: q.siteIds ? q.limit * 4 : q.limit,
    }) as AuditRow[];
    const scoped = q.siteIds ? rows.filter((r) => r.siteId !== null && q.siteIds!.includes(r.siteId)) : rows;
    return scoped.slice(0, q.limit).map((r) => ({
      id: r.id,
      ts: r.ts,
      actor: r.actor,
      action: r.action,
      target: r.target,
      result: r.result,
      ...(r.siteId ? { siteId: r.siteId } : {}),
      ...(r.source ? { source: r.source } : {}),
      ...(r.details ? { details: JSON.parse(r.details) as Record<string, unknown> } : {}),
    }));
  }
}
