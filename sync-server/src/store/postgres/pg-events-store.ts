import type { SiteEvent } from '@cr/shared';
import type { EventQuery, StoredBatch } from '../events-store';
import type { EventsPort } from '../ports';
import type { PgDb } from './pg-db';

/** Serialises partition maintenance of instances that run it at the same moment. */
const PARTITION_LOCK = 727_002;

const DAY_MS = 86_400_000;

const SQL = {
  // One statement per batch: the arrays are unnested into rows. A row whose key is already stored
  // (a re-sent event) inserts nothing, so rowCount is exactly the events stored now.
  insert: `INSERT INTO events (tenant_id, site_id, id, type, ts, device_id, data, received_at)
    SELECT $1, $2, e.id, e.type, e.ts, e.device_id, e.data, $8
    FROM unnest($3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[]) AS e(id, type, ts, device_id, data)
    ON CONFLICT (tenant_id, site_id, id, ts) DO NOTHING`,
  page: `SELECT id, type, ts, device_id AS "deviceId", data FROM events
    WHERE tenant_id = $1 AND site_id = $2
      AND ($3::text IS NULL OR type = $3)
      AND ($4::bigint IS NULL OR ts >= $4) AND ($5::bigint IS NULL OR ts < $5)
      AND ($6::bigint IS NULL OR ts < $6 OR (ts = $6 AND id < $7::text))
    ORDER BY ts DESC, id DESC LIMIT $8`,
  countByType: `SELECT type, COUNT(*) AS n FROM events
    WHERE tenant_id = $1 AND site_id = $2 AND ts >= $3 AND ts < $4 GROUP BY type ORDER BY type`,
  deviceTransitions: `SELECT device_id AS "deviceId", type, ts FROM events
    WHERE tenant_id = $1 AND site_id = $2 AND ts >= $3 AND ts < $4 AND type IN ('device.online', 'device.offline')
    ORDER BY ts, id`,
  // The distinct types by one index seek each (a skip scan of events_by_type).
  types: `WITH RECURSIVE t(type) AS (
      SELECT MIN(type) FROM events
      UNION ALL SELECT (SELECT MIN(type) FROM events WHERE type > t.type) FROM t WHERE t.type IS NOT NULL)
    SELECT type FROM t WHERE type IS NOT NULL`,
  deleteBefore: `DELETE FROM events WHERE (tenant_id, site_id, id, ts) IN
    (SELECT tenant_id, site_id, id, ts FROM events WHERE type = $1 AND ts < $2 LIMIT $3)`,
  partitions: `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'events'::regclass`,
} as const;

interface EventRow {
  id: string;
  type: string;
  ts: number;
  deviceId: string | null;
  data: string | null;
}

/** The name of the daily partition holding the UTC day that starts at `dayStart`: events_pYYYYMMDD. */
export function partitionName(dayStart: number): string {
  return `events_p${new Date(dayStart).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The range of a partition bound as PostgreSQL prints it, or undefined for the default partition. */
function parseBound(bound: string): { from: number; to: number } | undefined {
  const m = /FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)/.exec(bound);
  return m ? { from: Number(m[1]), to: Number(m[2]) } : undefined;
}

/**
 * The event log in PostgreSQL (the same contract as EventsStore), partitioned by UTC day so that
 * retention drops whole days. An event is unique per (tenant, site, id, ts).
 */
export class PgEventsStore implements EventsPort {
  constructor(private readonly db: PgDb) {}

  /**
   * Stores a batch in one statement; events already stored are counted as duplicates. An id that
   * appears twice in one batch is stored once, the first time (as SQLite does).
   */
  async insertBatch(tenantId: string, siteId: string, events: SiteEvent[], now = Date.now()): Promise<StoredBatch> {
    const seen = new Set<string>();
    const ids: string[] = [];
    const types: string[] = [];
    const tss: number[] = [];
    const devices: Array<string | null> = [];
    const datas: Array<string | null> = [];
    for (const e of events) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      ids.push(e.id);
      types.push(e.type);
      tss.push(e.ts);
      devices.push(e.deviceId ?? null);
      datas.push(e.data === undefined ? null : JSON.stringify(e.data));
    }
    if (ids.length === 0) return { stored: 0, duplicates: events.length };
    const r = await this.db.pool.query(SQL.insert, [tenantId, siteId, ids, types, tss, devices, datas, now]);
    const stored = r.rowCount ?? 0;
    return { stored, duplicates: events.length - stored };
  }

  async page(q: EventQuery): Promise<SiteEvent[]> {
    const rows = (
      await this.db.pool.query<EventRow>(SQL.page, [
        q.tenantId,
        q.siteId,
        q.type ?? null,
        q.from ?? null,
        q.to ?? null,
        q.after?.ts ?? null,
        q.after?.id ?? null,
        q.limit,
      ])
    ).rows;
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      ts: r.ts,
      ...(r.deviceId ? { deviceId: r.deviceId } : {}),
      ...(r.data ? { data: JSON.parse(r.data) as Record<string, unknown> } : {}),
    }));
  }

  async countByType(tenantId: string, siteId: string, from: number, to: number): Promise<Map<string, number>> {
    const rows = (await this.db.pool.query<{ type: string; n: number }>(SQL.countByType, [tenantId, siteId, from, to]))
      .rows;
    return new Map(rows.map((r) => [r.type, r.n]));
  }

  async deviceTransitions(
    tenantId: string,
    siteId: string,
    from: number,
    to: number,
  ): Promise<Array<{ deviceId: string | null; type: string; ts: number }>> {
    return (
      await this.db.pool.query<{ deviceId: string | null; type: string; ts: number }>(SQL.deviceTransitions, [
        tenantId,
        siteId,
        from,
        to,
      ])
    ).rows;
  }

  /** Every event type stored (retention walks them one by one). */
  async types(): Promise<string[]> {
    return (await this.db.pool.query<{ type: string }>(SQL.types)).rows.map((r) => r.type);
  }

  /** Deletes up to `limit` events of `type` that happened before `before`; returns how many (retention). */
  async deleteBefore(type: string, before: number, limit: number): Promise<number> {
    return (await this.db.pool.query(SQL.deleteBefore, [type, before, limit])).rowCount ?? 0;
  }

  /**
   * Creates the daily partitions of the `days` UTC days from the one holding `fromMs` that do not
   * exist yet; returns the names created. Events of those days already in events_default move into
   * their new partition in the same transaction. Instances may call it at the same moment: an
   * advisory lock lets one at a time look and create.
   */
  async ensurePartitions(fromMs: number, days: number): Promise<string[]> {
    const first = Math.floor(fromMs / DAY_MS) * DAY_MS;
    return this.db.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      const existing = new Set((await c.query<{ name: string }>(SQL.partitions)).rows.map((r) => r.name));
      const created: string[] = [];
      for (let d = 0; d < days; d++) {
        const from = first + d * DAY_MS;
        const to = from + DAY_MS;
        const name = partitionName(from);
        if (existing.has(name)) continue;
        // Inserts wait while rows of this day move out of the default partition and it is checked.
        await c.query('LOCK TABLE events_default IN ACCESS EXCLUSIVE MODE');
        await c.query(`CREATE TABLE "${name}" (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
        await c.query(
          `WITH moved AS (DELETE FROM events_default WHERE ts >= $1 AND ts < $2 RETURNING *)
           INSERT INTO "${name}" SELECT * FROM moved`,
          [from, to],
        );
        await c.query(`ALTER TABLE events ATTACH PARTITION "${name}" FOR VALUES FROM (${from}) TO (${to})`);
        created.push(name);
      }
      return created;
    });
  }

  /** Drops every daily partition whose days end at or before `beforeMs` (retention); returns their names. */
  async dropPartitionsBefore(beforeMs: number): Promise<string[]> {
    return this.db.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      const rows = (await c.query<{ name: string; bound: string }>(SQL.partitions)).rows;
      const dropped: string[] = [];
      for (const r of rows) {
        const range = parseBound(r.bound);
        if (!range || range.to > beforeMs) continue;
        await c.query(`DROP TABLE "${r.name}"`);
        dropped.push(r.name);
      }
      return dropped.sort();
    });
  }
}
