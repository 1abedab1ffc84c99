import type { BookingSeriesPort } from '../ports';
import { toSeries, type SeriesRecord } from '../booking-series-store';
import type { PgDb } from './pg-db';

const SQL = {
  insert: `INSERT INTO booking_series (tenant_id, id, site_id, resource_id, member_id, rrule, skip_holidays, missed_count, state, created_at, created_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  one: 'SELECT * FROM booking_series WHERE tenant_id = $1 AND id = $2',
  update: `UPDATE booking_series SET missed_count = $1, state = $2 WHERE tenant_id = $3 AND id = $4 AND state = 'active'`,
} as const;

/** Booking series in PostgreSQL (the same contract as BookingSeriesStore). */
export class PgBookingSeriesStore implements BookingSeriesPort {
  constructor(private readonly db: PgDb) {}

  async insert(s: SeriesRecord): Promise<void> {
    await this.db.pool.query(SQL.insert, [s.tenantId, s.id, s.siteId, s.resourceId, s.memberId, s.rrule, s.skipHolidays, s.missedCount, s.state, s.createdAt, s.createdBy]);
  }

  async get(tenantId: string, id: string): Promise<SeriesRecord | undefined> {
    const row = (await this.db.pool.query<Parameters<typeof toSeries>[0]>(SQL.one, [tenantId, id])).rows[0];
    return row ? toSeries(row) : undefined;
  }

  async update(tenantId: string, id: string, missedCount: number, state: 'active' | 'ended'): Promise<boolean> {
    return ((await this.db.pool.query(SQL.update, [missedCount, state, tenantId, id])).rowCount ?? 0) > 0;
  }
}
