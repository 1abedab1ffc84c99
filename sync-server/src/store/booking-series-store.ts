import type { Db } from './db';

/** A recurring booking: the rule its occurrences were made from and how many in a row were missed. */
export interface SeriesRecord {
  tenantId: string;
  id: string;
  siteId: string;
  resourceId: string;
  memberId: string;
  /** RFC 5545 RRULE, expanded in the site's time zone */
  rrule: string;
  skipHolidays: boolean;
  /** consecutive occurrences released as no-shows (three end the series) */
  missedCount: number;
  state: 'active' | 'ended';
  createdAt: number;
  createdBy: string;
}

interface SeriesRow {
  tenant_id: string;
  id: string;
  site_id: string;
  resource_id: string;
  member_id: string;
  rrule: string;
  skip_holidays: number | boolean;
  missed_count: number;
  state: string;
  created_at: number;
  created_by: string;
}

export const toSeries = (r: SeriesRow): SeriesRecord => ({
  tenantId: r.tenant_id,
  id: r.id,
  siteId: r.site_id,
  resourceId: r.resource_id,
  memberId: r.member_id,
  rrule: r.rrule,
  skipHolidays: r.skip_holidays === true || r.skip_holidays === 1,
  missedCount: r.missed_count,
  state: r.state === 'ended' ? 'ended' : 'active',
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const SQL = {
  insert: `INSERT INTO booking_series (tenant_id, id, site_id, resource_id, member_id, rrule, skip_holidays, missed_count, state, created_at, created_by)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  one: 'SELECT * FROM booking_series WHERE tenant_id = ? AND id = ?',
  // Ends only once: the caller that flips it is the one that cancels the future occurrences.
  update: `UPDATE booking_series SET missed_count = ?, state = ? WHERE tenant_id = ? AND id = ? AND state = 'active'`,
} as const;

/** Booking series in SQLite. */
export class BookingSeriesStore {
  constructor(private readonly db: Db) {}

  insert(s: SeriesRecord): void {
    this.db.prepare(SQL.insert).run(s.tenantId, s.id, s.siteId, s.resourceId, s.memberId, s.rrule, s.skipHolidays ? 1 : 0, s.missedCount, s.state, s.createdAt, s.createdBy);
  }

  get(tenantId: string, id: string): SeriesRecord | undefined {
    const row = this.db.prepare(SQL.one).get(tenantId, id) as SeriesRow | undefined;
    return row ? toSeries(row) : undefined;
  }

  /** Records the missed count (and the end) of an active series; false when it had already ended. */
  update(tenantId: string, id: string, missedCount: number, state: 'active' | 'ended'): boolean {
    return this.db.prepare(SQL.update).run(missedCount, state, tenantId, id).changes > 0;
  }
}
