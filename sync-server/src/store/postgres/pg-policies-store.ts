import type { PoliciesPort } from '../ports';
import { assignmentOf, type PolicyAssignment, type PolicyRecord, type PolicyReportInput, type PolicyVersionRecord } from '../policies-store';
import type { PgDb, Queryable } from './pg-db';

const POLICY_COLUMNS = `p.id, p.name, p.created_at AS "createdAt", p.created_by AS "createdBy",
  (SELECT MAX(v.version) FROM policy_versions v WHERE v.tenant_id = p.tenant_id AND v.policy_id = p.id) AS "latestVersion"`;
const ASSIGNMENT_COLUMNS = 'site_id, policy_id, version, status, error, applied_policy_id, applied_version, updated_at';

const SQL = {
  insertPolicy: 'INSERT INTO policies (tenant_id, id, name, created_at, created_by) VALUES ($1, $2, $3, $4, $5)',
  // The policy row is locked first: two versions added at once get consecutive numbers.
  lockPolicy: 'SELECT id FROM policies WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
  insertVersion: `INSERT INTO policy_versions (tenant_id, policy_id, version, body, created_at, created_by)
    SELECT $1, $2, COALESCE(MAX(version), 0) + 1, $3, $4, $5 FROM policy_versions WHERE tenant_id = $1 AND policy_id = $2 RETURNING version`,
  policy: `SELECT ${POLICY_COLUMNS} FROM policies p WHERE p.tenant_id = $1 AND p.id = $2`,
  policies: `SELECT ${POLICY_COLUMNS} FROM policies p WHERE p.tenant_id = $1 ORDER BY p.created_at, p.id`,
  versions: 'SELECT version, created_at AS "createdAt", created_by AS "createdBy" FROM policy_versions WHERE tenant_id = $1 AND policy_id = $2 ORDER BY version',
  version: 'SELECT version, body, created_at AS "createdAt", created_by AS "createdBy" FROM policy_versions WHERE tenant_id = $1 AND policy_id = $2 AND version = $3',
  assign: `INSERT INTO policy_assignments (tenant_id, site_id, policy_id, version, status, error, updated_at) VALUES ($1, $2, $3, $4, 'assigned', NULL, $5)
    ON CONFLICT (tenant_id, site_id) DO UPDATE SET policy_id = excluded.policy_id, version = excluded.version, status = 'assigned', error = NULL, updated_at = excluded.updated_at`,
  assignment: `SELECT ${ASSIGNMENT_COLUMNS} FROM policy_assignments WHERE tenant_id = $1 AND site_id = $2`,
  assignmentsOf: `SELECT ${ASSIGNMENT_COLUMNS} FROM policy_assignments WHERE tenant_id = $1 AND policy_id = $2 ORDER BY site_id`,
  delivered: `UPDATE policy_assignments SET status = 'delivered', updated_at = $1
    WHERE tenant_id = $2 AND site_id = $3 AND policy_id = $4 AND version = $5 AND status = 'assigned'`,
  applied: `UPDATE policy_assignments SET applied_policy_id = $1, applied_version = $2, updated_at = $3,
    status = CASE WHEN policy_id = $1 AND version = $2 THEN 'applied' ELSE status END,
    error = CASE WHEN policy_id = $1 AND version = $2 THEN NULL ELSE error END
    WHERE tenant_id = $4 AND site_id = $5`,
  failed: `UPDATE policy_assignments SET status = 'failed', error = $1, updated_at = $2
    WHERE tenant_id = $3 AND site_id = $4 AND policy_id = $5 AND version = $6`,
} as const;

type PolicyRow = Omit<PolicyRecord, 'createdAt' | 'latestVersion'> & { createdAt: string; latestVersion: number };
const policyOf = (r: PolicyRow): PolicyRecord => ({ ...r, createdAt: Number(r.createdAt), latestVersion: Number(r.latestVersion) });

/** Site policies in PostgreSQL (the same contract as PoliciesStore). */
export class PgPoliciesStore implements PoliciesPort {
  constructor(private readonly db: PgDb) {}

  private async insertVersion(q: Queryable, tenantId: string, policyId: string, body: unknown, by: string, now: number): Promise<number> {
    const r = await q.query<{ version: number }>(SQL.insertVersion, [tenantId, policyId, JSON.stringify(body), now, by]);
    return Number(r.rows[0]!.version);
  }

  async create(tenantId: string, p: { id: string; name: string; body: unknown; by: string }, now = Date.now()): Promise<void> {
    await this.db.tx(async (c) => {
      await c.query(SQL.insertPolicy, [tenantId, p.id, p.name, now, p.by]);
      await this.insertVersion(c, tenantId, p.id, p.body, p.by, now);
    });
  }

  async addVersion(tenantId: string, policyId: string, body: unknown, by: string, now = Date.now()): Promise<number | undefined> {
    return this.db.tx(async (c) => {
      if ((await c.query(SQL.lockPolicy, [tenantId, policyId])).rowCount === 0) return undefined;
      return this.insertVersion(c, tenantId, policyId, body, by, now);
    });
  }

  async policy(tenantId: string, policyId: string): Promise<PolicyRecord | undefined> {
    const row = (await this.db.pool.query<PolicyRow>(SQL.policy, [tenantId, policyId])).rows[0];
    return row ? policyOf(row) : undefined;
  }

  async policies(tenantId: string): Promise<PolicyRecord[]> {
    return (await this.db.pool.query<PolicyRow>(SQL.policies, [tenantId])).rows.map(policyOf);
  }

  async versions(tenantId: string, policyId: string): Promise<Array<Omit<PolicyVersionRecord, 'body'>>> {
    const rows = (await this.db.pool.query<{ version: number; createdAt: string; createdBy: string }>(SQL.versions, [tenantId, policyId])).rows;
    return rows.map((r) => ({ version: Number(r.version), createdAt: Number(r.createdAt), createdBy: r.createdBy }));
  }

  async version(tenantId: string, policyId: string, version: number): Promise<PolicyVersionRecord | undefined> {
    const r = (await this.db.pool.query<{ version: number; body: string; createdAt: string; createdBy: string }>(SQL.version, [tenantId, policyId, version])).rows[0];
    return r ? { version: Number(r.version), body: JSON.parse(r.body) as unknown, createdAt: Number(r.createdAt), createdBy: r.createdBy } : undefined;
  }

  async assign(tenantId: string, siteId: string, policyId: string, version: number, now = Date.now()): Promise<void> {
    await this.db.pool.query(SQL.assign, [tenantId, siteId, policyId, version, now]);
  }

  async assignment(tenantId: string, siteId: string): Promise<PolicyAssignment | undefined> {
    const row = (await this.db.pool.query<Parameters<typeof assignmentOf>[0]>(SQL.assignment, [tenantId, siteId])).rows[0];
    return row ? assignmentOf(row) : undefined;
  }

  async assignmentsOf(tenantId: string, policyId: string): Promise<PolicyAssignment[]> {
    return (await this.db.pool.query<Parameters<typeof assignmentOf>[0]>(SQL.assignmentsOf, [tenantId, policyId])).rows.map(assignmentOf);
  }

  async markDelivered(tenantId: string, siteId: string, policyId: string, version: number, now = Date.now()): Promise<boolean> {
    return ((await this.db.pool.query(SQL.delivered, [now, tenantId, siteId, policyId, version])).rowCount ?? 0) > 0;
  }

  async report(tenantId: string, siteId: string, r: PolicyReportInput, now = Date.now()): Promise<boolean> {
    const res = r.applied
      ? await this.db.pool.query(SQL.applied, [r.policyId, r.version, now, tenantId, siteId])
      : await this.db.pool.query(SQL.failed, [r.error.slice(0, 500), now, tenantId, siteId, r.policyId, r.version]);
    return (res.rowCount ?? 0) > 0;
  }
}
