import type { SiteEvent } from '@cr/shared';
import type Database from 'better-sqlite3';
import type { Db } from './db';

export interface EventQuery {
  tenantId: string;
  siteId: string;
  type?: string;
  from?: number;
  to?: number;
  limit: number;
  /** position after which to continue (exclusive), newest first */
  after?: { ts: number; id: string };
}

export interface StoredBatch {
  stored: number;
  duplicates: number;
}

const SQL = {
  // Only a re-sent event id is skipped; any other constraint failure is an error, not a "duplicate".
  insert: `INSERT INTO events (tenant_id, site_id, id, type, ts, device_id, data, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, site_id, id) DO NOTHING`,
  page: `SELECT id, type, ts, device_id AS deviceId, data FROM events
    WHERE tenant_id = @tenantId AND site_id = @siteId
      AND (@type IS NULL OR type = @type)
      AND (@from IS NULL OR ts >= @from) AND (@to IS NULL OR ts < @to)
      AND (@afterTs IS NULL OR ts < @afterTs OR (ts = @afterTs AND id < @afterId))
    ORDER BY ts DESC, id DESC LIMIT @limit`,
  countByType: `SELECT type, COUNT(*) AS n FROM events
    WHERE tenant_id = ? AND site_id = ? AND ts >= ? AND ts < ? GROUP BY type`,
  deviceTransitions: `SELECT device_id AS deviceId, type, ts FROM events
    WHERE tenant_id = ? AND site_id = ? AND ts >= ? AND ts < ? AND type IN ('device.online', 'device.offline')
    ORDER BY ts`,
  // Retention: the distinct types by one index seek each (a skip scan), then each type's old rows
  // by a range of events_by_type, so a step costs its own rows and never a scan of the table.
  types: `WITH RECURSIVE t(type) AS (
      SELECT MIN(type) FROM events
      UNION ALL SELECT (SELECT MIN(type) FROM events WHERE type > t.type) FROM t WHERE t.type IS NOT NULL)
    SELECT type FROM t WHERE type IS NOT NULL`,
  deleteBefore: `DELETE FROM events WHERE seq IN
    (SELECT seq FROM events INDEXED BY events_by_type WHERE type = ? AND ts < ? LIMIT ?)`,
} as const;

interface EventRow {
  id: string;
  type: string;
  ts: number;
  deviceId: string | null;
  data: string | null;
}

/** The event log: append-only rows, unique per (tenant, site, event id). */
export class EventsStore {
  private readonly insert: Database.Statement;

  constructor(private readonly db: Db) {
    // Prepared once: ingest runs it for every event of every batch.
    this.insert = db.prepare(SQL.insert);
  }

  /** Stores a batch in one transaction; events already stored are counted as duplicates. */
  insertBatch(tenantId: string, siteId: string, events: SiteEvent[], now = Date.now()): StoredBatch {
    return this.db.transaction(() => this.insertRows(tenantId, siteId, events, now))();
  }

  /**
   * Inserts a batch inside the caller's transaction (the ingest's group commit). A conflicting
   * (tenant, site, id) inserts nothing, so `changes` counts exactly the events stored now.
   */
  insertRows(tenantId: string, siteId: string, events: SiteEvent[], now = Date.now()): StoredBatch {
    let stored = 0;
    for (const e of events) {
      const data = e.data === undefined ? null : JSON.stringify(e.data);
      stored += this.insert.run(tenantId, siteId, e.id, e.type, e.ts, e.deviceId ?? null, data, now).changes;
    }
    return { stored, duplicates: events.length - stored };
  }

  page(q: EventQuery): SiteEvent[] {
    const rows = this.db.prepare(SQL.page).all({
      tenantId: q.tenantId,
      siteId: q.siteId,
      type: q.type ?? null,
      from: q.from ?? null,
      to: q.to ?? null,
      afterTs: q.after?.ts ?? null,
      afterId: q.after?.id ?? null,
      limit: q.limit,
    }) as EventRow[];
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      ts: r.ts,
      ...(r.deviceId ? { deviceId: r.deviceId } : {}),
      ...(r.data ? { data: JSON.parse(r.data) as Record<string, unknown> } : {}),
    }));
  }

  countByType(tenantId: string, siteId: string, from: number, to: number): Map<string, number> {
    const rows = this.db.prepare(SQL.countByType).all(tenantId, siteId, from, to) as Array<{ type: string; n: number }>;
    return new Map(rows.map((r) => [r.type, r.n]));
  }

  deviceTransitions(
    tenantId: string,
    siteId: string,
    from: number,
    to: number,
  ): Array<{ deviceId: string | null; type: string; ts: number }> {
    return this.db.prepare(SQL.deviceTransitions).all(tenantId, siteId, from, to) as Array<{
      deviceId: string | null;
      type: string;
      ts: number;
    }>;
  }

  /** Every event type stored (retention walks them one by one). */
  types(): string[] {
    return (this.db.prepare(SQL.types).all() as Array<{ type: string }>).map((r) => r.type);
  }

  /** Deletes up to `limit` events of `type` that happened before `before`; returns how many (retention). */
  deleteBefore(type: string, before: number, limit: number): number {
    return this.db.prepare(SQL.deleteBefore).run(type, before, limit).changes;
  }
}
