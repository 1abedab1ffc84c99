import type { Db } from './db';

/** One numeric field of one device's readings over one minute. */
export interface TelemetryMinute {
  deviceId: string;
  /** start of the minute, ms since the epoch (a multiple of 60 000) */
  minute: number;
  /** the reading's name in the device's state: `temperatureC`, `watts`, `occupancy`… */
  field: string;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** Adding a minute that is already stored merges into it (a partial minute flushed twice, a restart). */
const UPSERT = (least: string, greatest: string): string => `INSERT INTO telemetry_minutes
  (tenant_id, site_id, device_id, minute, field, count, sum, min, max) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (tenant_id, site_id, device_id, minute, field) DO UPDATE SET count = telemetry_minutes.count + excluded.count,
  sum = telemetry_minutes.sum + excluded.sum, min = ${least}(telemetry_minutes.min, excluded.min),
  max = ${greatest}(telemetry_minutes.max, excluded.max)`;

/** The statements of both backends, with `?` placeholders (PostgreSQL numbers them). */
export const TELEMETRY_SQL = {
  upsertSqlite: UPSERT('MIN', 'MAX'),
  upsertPostgres: UPSERT('LEAST', 'GREATEST'),
  series: `SELECT device_id, minute, field, count, sum, min, max FROM telemetry_minutes
    WHERE tenant_id = ? AND site_id = ? AND device_id = ? AND minute >= ? AND minute < ? ORDER BY minute, field`,
  deleteBefore: 'DELETE FROM telemetry_minutes WHERE minute < ?',
} as const;

/** A stored minute, the same in SQLite and PostgreSQL (BIGINT and DOUBLE may arrive as strings). */
export interface TelemetryMinuteRow {
  device_id: string;
  minute: number | string;
  field: string;
  count: number | string;
  sum: number | string;
  min: number | string;
  max: number | string;
}

export const toMinute = (r: TelemetryMinuteRow): TelemetryMinute => ({
  deviceId: r.device_id,
  minute: Number(r.minute),
  field: r.field,
  count: Number(r.count),
  sum: Number(r.sum),
  min: Number(r.min),
  max: Number(r.max),
});

/**
 * The compact time series of device readings for reports: per device, per field, per minute the
 * count, sum, minimum and maximum (the readings themselves are live state, never stored one by one).
 */
export class TelemetryMinutesStore {
  constructor(private readonly db: Db) {}

  add(tenantId: string, siteId: string, minutes: readonly TelemetryMinute[]): void {
    const upsert = this.db.prepare(TELEMETRY_SQL.upsertSqlite);
    this.db.transaction(() => {
      for (const m of minutes) upsert.run(tenantId, siteId, m.deviceId, m.minute, m.field, m.count, m.sum, m.min, m.max);
    })();
  }

  /** A device's minutes in [from, to), oldest first. */
  series(tenantId: string, siteId: string, deviceId: string, from: number, to: number): TelemetryMinute[] {
    return (this.db.prepare(TELEMETRY_SQL.series).all(tenantId, siteId, deviceId, from, to) as TelemetryMinuteRow[]).map(toMinute);
  }

  /** Deletes minutes before `before`; returns how many went. */
  deleteBefore(before: number): number {
    return this.db.prepare(TELEMETRY_SQL.deleteBefore).run(before).changes;
  }
}
