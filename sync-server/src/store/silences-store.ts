import type { Db } from './db';
import type { SilenceRecord } from './notification-records';

const SQL = {
  insert: `INSERT INTO notification_silences (tenant_id, id, site_id, device_id, types, starts_at, ends_at, reason, author_id,
    author_name, created_at, ended_at) VALUES (@tenantId, @id, @siteId, @deviceId, @types, @startsAt, @endsAt, @reason, @authorId,
    @authorName, @createdAt, NULL)`,
  one: 'SELECT * FROM notification_silences WHERE tenant_id = ? AND id = ?',
  since: `SELECT * FROM notification_silences WHERE tenant_id = ? AND COALESCE(ended_at, ends_at) > ? ORDER BY starts_at, id`,
  end: `UPDATE notification_silences SET ended_at = ? WHERE tenant_id = ? AND id = ? AND ended_at IS NULL AND ends_at > ?`,
} as const;

/** A silence row, the same in SQLite and PostgreSQL. */
export interface SilenceRow {
  tenant_id: string;
  id: string;
  site_id: string;
  device_id: string | null;
  types: string | null;
  starts_at: number | string;
  ends_at: number | string;
  reason: string;
  author_id: string;
  author_name: string;
  created_at: number | string;
  ended_at: number | string | null;
}

export const toSilence = (r: SilenceRow): SilenceRecord => ({
  tenantId: r.tenant_id,
  id: r.id,
  siteId: r.site_id,
  ...(r.device_id ? { deviceId: r.device_id } : {}),
  ...(r.types ? { types: JSON.parse(r.types) as string[] } : {}),
  startsAt: Number(r.starts_at),
  endsAt: Number(r.ends_at),
  reason: r.reason,
  authorId: r.author_id,
  authorName: r.author_name,
  createdAt: Number(r.created_at),
  ...(r.ended_at != null ? { endedAt: Number(r.ended_at) } : {}),
});

/** The columns of a silence, in the order both backends insert them. */
export const silenceColumns = (s: SilenceRecord) => ({
  tenantId: s.tenantId,
  id: s.id,
  siteId: s.siteId,
  deviceId: s.deviceId ?? null,
  types: s.types ? JSON.stringify(s.types) : null,
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  reason: s.reason,
  authorId: s.authorId,
  authorName: s.authorName,
  createdAt: s.createdAt,
});

/** Silences and maintenance windows of each tenant (SQLite). */
export class SilencesStore {
  constructor(private readonly db: Db) {}

  add(s: SilenceRecord): void {
    this.db.prepare(SQL.insert).run(silenceColumns(s));
  }

  one(tenantId: string, id: string): SilenceRecord | undefined {
    const row = this.db.prepare(SQL.one).get(tenantId, id) as SilenceRow | undefined;
    return row ? toSilence(row) : undefined;
  }

  /** Every silence of the tenant that had not ended by `since` (active, upcoming, or ended later), earliest start first. */
  since(tenantId: string, since: number): SilenceRecord[] {
    return (this.db.prepare(SQL.since).all(tenantId, since) as SilenceRow[]).map(toSilence);
  }

  /** Ends a silence at `at`; false when it does not exist or had already ended. */
  end(tenantId: string, id: string, at: number): boolean {
    return this.db.prepare(SQL.end).run(at, tenantId, id, at).changes === 1;
  }
}
