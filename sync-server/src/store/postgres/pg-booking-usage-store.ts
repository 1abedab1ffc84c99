import type { BookingUsagePort } from '../ports';
import type { UsageQuery, UsageRecord } from '../booking-usage-store';
import type { PgDb } from './pg-db';

const SQL = {
  insert: `INSERT INTO booking_usage (tenant_id, id, site_id, member_id, resource_id, booking_id, kind, minutes, at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
  query: `SELECT tenant_id AS "tenantId", id, site_id AS "siteId", member_id AS "memberId", resource_id AS "resourceId",
    booking_id AS "bookingId", kind, minutes, at FROM booking_usage
    WHERE tenant_id = $1 AND ($2::text IS NULL OR site_id = $2) AND at >= $3 AND at < $4 ORDER BY at, id LIMIT 10000`,
} as const;

/** Usage records in PostgreSQL (the same contract as BookingUsageStore). */
export class PgBookingUsageStore implements BookingUsagePort {
  constructor(private readonly db: PgDb) {}

  async record(u: UsageRecord): Promise<boolean> {
    const r = await this.db.pool.query(SQL.insert, [u.tenantId, u.id, u.siteId, u.memberId, u.resourceId, u.bookingId, u.kind, u.minutes, u.at]);
    return (r.rowCount ?? 0) > 0;
  }

  async query(q: UsageQuery): Promise<UsageRecord[]> {
    return (await this.db.pool.query<UsageRecord>(SQL.query, [q.tenantId, q.siteId ?? null, q.from, q.to])).rows;
  }
}
