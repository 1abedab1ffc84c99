import { TELEMETRY_SQL, toMinute, type TelemetryMinute, type TelemetryMinuteRow } from '../telemetry-minutes-store';
import type { TelemetryMinutesPort } from '../ports';
import type { PgDb } from './pg-db';

const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

const SQL = { upsert: numbered(TELEMETRY_SQL.upsertPostgres), series: numbered(TELEMETRY_SQL.series), deleteBefore: numbered(TELEMETRY_SQL.deleteBefore) };

/** Per-minute telemetry aggregates in PostgreSQL (the same contract as TelemetryMinutesStore). */
export class PgTelemetryMinutesStore implements TelemetryMinutesPort {
  constructor(private readonly db: PgDb) {}

  async add(tenantId: string, siteId: string, minutes: readonly TelemetryMinute[]): Promise<void> {
    await this.db.tx(async (client) => {
      for (const m of minutes) await client.query(SQL.upsert, [tenantId, siteId, m.deviceId, m.minute, m.field, m.count, m.sum, m.min, m.max]);
    });
  }

  async series(tenantId: string, siteId: string, deviceId: string, from: number, to: number): Promise<TelemetryMinute[]> {
    return (await this.db.pool.query<TelemetryMinuteRow>(SQL.series, [tenantId, siteId, deviceId, from, to])).rows.map(toMinute);
  }

  async deleteBefore(before: number): Promise<number> {
    return (await this.db.pool.query(SQL.deleteBefore, [before])).rowCount ?? 0;
  }
}
