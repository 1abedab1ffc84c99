import type { FirmwareRolloutsPort } from '../ports';
import { parseRollout, type RolloutRecord } from '../firmware-rollouts-store';
import type { PgDb } from './pg-db';

const SQL = {
  insert: `INSERT INTO firmware_rollouts (tenant_id, id, site_id, state, body, updated_at) VALUES ($1, $2, $3, $4, $5, $6)`,
  save: `UPDATE firmware_rollouts SET state = $1, body = $2, updated_at = $3 WHERE tenant_id = $4 AND id = $5`,
  byId: `SELECT body FROM firmware_rollouts WHERE tenant_id = $1 AND id = $2`,
  running: `SELECT body FROM firmware_rollouts WHERE state = 'running' ORDER BY updated_at`,
} as const;

/** Firmware rollouts in PostgreSQL (the same contract as FirmwareRolloutsStore). */
export class PgFirmwareRolloutsStore implements FirmwareRolloutsPort {
  constructor(private readonly db: PgDb) {}

  async insert(r: RolloutRecord): Promise<void> {
    await this.db.pool.query(SQL.insert, [r.tenantId, r.id, r.siteId, r.state, JSON.stringify(r), r.updatedAt]);
  }

  async save(r: RolloutRecord): Promise<void> {
    await this.db.pool.query(SQL.save, [r.state, JSON.stringify(r), r.updatedAt, r.tenantId, r.id]);
  }

  async byId(tenantId: string, id: string): Promise<RolloutRecord | undefined> {
    const row = (await this.db.pool.query<{ body: string }>(SQL.byId, [tenantId, id])).rows[0];
    return row ? parseRollout(row.body) : undefined;
  }

  async running(): Promise<RolloutRecord[]> {
    const rows = (await this.db.pool.query<{ body: string }>(SQL.running)).rows;
    return rows.map((r) => parseRollout(r.body)).filter((r): r is RolloutRecord => r !== undefined);
  }
}
