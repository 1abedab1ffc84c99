import type { Db } from './db';

/** What a member used: one per check-in and one per completed booking (`id` = booking id + kind). */
export interface UsageRecord {
  id: string;
  tenantId: string;
  siteId: string;
  memberId: string;
  resourceId: string;
  bookingId: string;
  kind: 'check-in' | 'completed';
  minutes: number;
  /** when the usage happened (check-in time, or the booking's end) */
  at: number;
}

export interface UsageQuery {
  tenantId: string;
  siteId?: string;
  from: number;
  to: number;
}

const SQL = {
  insert: `INSERT OR IGNORE INTO booking_usage (tenant_id, id, site_id, member_id, resource_id, booking_id, kind, minutes, at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  query: `SELECT tenant_id AS tenantId, id, site_id AS siteId, member_id AS memberId, resource_id AS resourceId,
    booking_id AS bookingId, kind, minutes, at FROM booking_usage
    WHERE tenant_id = @tenantId AND (@siteId IS NULL OR site_id = @siteId) AND at >= @from AND at < @to ORDER BY at, id LIMIT 10000`,
} as const;

/** Usage records in SQLite: idempotent by id, so a fact settled twice yields one record. */
export class BookingUsageStore {
  constructor(private readonly db: Db) {}

  /** true when the record is new */
  record(u: UsageRecord): boolean {
    return this.db.prepare(SQL.insert).run(u.tenantId, u.id, u.siteId, u.memberId, u.resourceId, u.bookingId, u.kind, u.minutes, u.at).changes > 0;
  }

  query(q: UsageQuery): UsageRecord[] {
    return this.db.prepare(SQL.query).all({ ...q, siteId: q.siteId ?? null }) as UsageRecord[];
  }
}
