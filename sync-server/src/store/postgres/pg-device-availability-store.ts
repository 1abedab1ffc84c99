import { AVAILABILITY_SQL, toTransition, type AvailabilityRow, type AvailabilityTransition } from '../device-availability-store';
import type { DeviceAvailabilityPort } from '../ports';
import type { PgDb } from './pg-db';

/** The SQLite statements with PostgreSQL's numbered placeholders. */
const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

const SQL = Object.fromEntries(Object.entries(AVAILABILITY_SQL).map(([k, v]) => [k, numbered(v)])) as typeof AVAILABILITY_SQL;

/** Device availability transitions in PostgreSQL (the same contract as DeviceAvailabilityStore). */
export class PgDeviceAvailabilityStore implements DeviceAvailabilityPort {
  constructor(private readonly db: PgDb) {}

  async append(tenantId: string, siteId: string, transitions: readonly AvailabilityTransition[], maxPerDevice: number): Promise<void> {
    await this.db.tx(async (client) => {
      for (const t of transitions) await client.query(SQL.insert, [tenantId, siteId, t.deviceId, t.at, t.online]);
      for (const id of new Set(transitions.map((t) => t.deviceId))) await client.query(SQL.trim, [tenantId, siteId, id, tenantId, siteId, id, maxPerDevice - 1]);
    });
  }

  async latest(tenantId: string, siteId: string): Promise<AvailabilityTransition[]> {
    return (await this.db.pool.query<AvailabilityRow>(SQL.latest, [tenantId, siteId])).rows.map(toTransition);
  }

  async since(tenantId: string, siteId: string, deviceId: string, since: number): Promise<AvailabilityTransition[]> {
    return (await this.db.pool.query<AvailabilityRow>(SQL.since, [tenantId, siteId, deviceId, tenantId, siteId, deviceId, since, since])).rows.map(toTransition);
  }

  async deleteBefore(before: number): Promise<number> {
    return (await this.db.pool.query(SQL.deleteBefore, [before])).rowCount ?? 0;
  }
}
