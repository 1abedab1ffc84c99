import type { PolicyRolloutsPort } from '../ports';
import { parseStagedRollout, type StagedRollout } from '../policy-rollouts-store';
import type { PgDb } from './pg-db';

const SQL = {
  insert: `INSERT INTO policy_rollouts (tenant_id, id, policy_id, state, body, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  save: `UPDATE policy_rollouts SET state = $1, body = $2, updated_at = $3 WHERE tenant_id = $4 AND id = $5 AND updated_at = $6`,
  byId: `SELECT body FROM policy_rollouts WHERE tenant_id = $1 AND id = $2`,
  ofPolicy: `SELECT body FROM policy_rollouts WHERE tenant_id = $1 AND policy_id = $2 ORDER BY created_at DESC, id`,
  active: `SELECT body FROM policy_rollouts WHERE state IN ('first-stage', 'waiting') ORDER BY updated_at`,
  activeOfTenant: `SELECT body FROM policy_rollouts WHERE tenant_id = $1 AND state IN ('first-stage', 'waiting') ORDER BY created_at`,
} as const;

const parsed = (rows: Array<{ body: string }>): StagedRollout[] => rows.map((r) => parseStagedRollout(r.body)).filter((r): r is StagedRollout => r !== undefined);

/** Staged policy rollouts in PostgreSQL (the same contract as PolicyRolloutsStore). */
export class PgPolicyRolloutsStore implements PolicyRolloutsPort {
  constructor(private readonly db: PgDb) {}

  async insert(r: StagedRollout): Promise<void> {
    await this.db.pool.query(SQL.insert, [r.tenantId, r.id, r.policyId, r.state, JSON.stringify(r), r.createdAt, r.updatedAt]);
  }

  async save(r: StagedRollout, expectedUpdatedAt: number): Promise<boolean> {
    return ((await this.db.pool.query(SQL.save, [r.state, JSON.stringify(r), r.updatedAt, r.tenantId, r.id, expectedUpdatedAt])).rowCount ?? 0) > 0;
  }

  async byId(tenantId: string, id: string): Promise<StagedRollout | undefined> {
    const row = (await this.db.pool.query<{ body: string }>(SQL.byId, [tenantId, id])).rows[0];
    return row ? parseStagedRollout(row.body) : undefined;
  }

  async ofPolicy(tenantId: string, policyId: string): Promise<StagedRollout[]> {
    return parsed((await this.db.pool.query<{ body: string }>(SQL.ofPolicy, [tenantId, policyId])).rows);
  }

  async active(): Promise<StagedRollout[]> {
    return parsed((await this.db.pool.query<{ body: string }>(SQL.active)).rows);
  }

  async activeOfTenant(tenantId: string): Promise<StagedRollout[]> {
    return parsed((await this.db.pool.query<{ body: string }>(SQL.activeOfTenant, [tenantId])).rows);
  }
}
