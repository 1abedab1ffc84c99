import type { Db } from './db';

/** Where a site's assigned version stands: sent for, sent, enforced by the edge, or refused by it. */
export const ROLLOUT_STATUSES = ['assigned', 'delivered', 'applied', 'failed'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

export interface PolicyRecord {
  id: string;
  name: string;
  createdAt: number;
  createdBy: string;
  latestVersion: number;
}

export interface PolicyVersionRecord {
  version: number;
  body: unknown;
  createdAt: number;
  createdBy: string;
}

/** The version a site is assigned and what its edge reported of it. */
export interface PolicyAssignment {
  siteId: string;
  policyId: string;
  version: number;
  status: RolloutStatus;
  error?: string;
  /** the version the site's edge last reported it enforces (of `appliedPolicyId`) */
  appliedVersion?: number;
  appliedPolicyId?: string;
  updatedAt: number;
}

/** What an edge reported of a version it received. */
export type PolicyReportInput = { policyId: string; version: number } & ({ applied: true } | { applied: false; error: string });

interface AssignmentRow {
  site_id: string;
  policy_id: string;
  version: number;
  status: RolloutStatus;
  error: string | null;
  applied_policy_id: string | null;
  applied_version: number | null;
  updated_at: number;
}

/** A row of policy_assignments as the store hands it out (shared with the PostgreSQL store). */
export function assignmentOf(r: AssignmentRow): PolicyAssignment {
  return {
    siteId: r.site_id,
    policyId: r.policy_id,
    version: Number(r.version),
    status: r.status,
    ...(r.error ? { error: r.error } : {}),
    ...(r.applied_version !== null ? { appliedVersion: Number(r.applied_version), appliedPolicyId: r.applied_policy_id ?? undefined } : {}),
    updatedAt: Number(r.updated_at),
  };
}

const POLICY_COLUMNS = `p.id, p.name, p.created_at AS "createdAt", p.created_by AS "createdBy",
  (SELECT MAX(v.version) FROM policy_versions v WHERE v.tenant_id = p.tenant_id AND v.policy_id = p.id) AS "latestVersion"`;
const ASSIGNMENT_COLUMNS = 'site_id, policy_id, version, status, error, applied_policy_id, applied_version, updated_at';

const SQL = {
  insertPolicy: 'INSERT INTO policies (tenant_id, id, name, created_at, created_by) VALUES (?, ?, ?, ?, ?)',
  insertVersion: `INSERT INTO policy_versions (tenant_id, policy_id, version, body, created_at, created_by)
    SELECT ?, ?, COALESCE(MAX(version), 0) + 1, ?, ?, ? FROM policy_versions WHERE tenant_id = ? AND policy_id = ? RETURNING version`,
  policy: `SELECT ${POLICY_COLUMNS} FROM policies p WHERE p.tenant_id = ? AND p.id = ?`,
  policies: `SELECT ${POLICY_COLUMNS} FROM policies p WHERE p.tenant_id = ? ORDER BY p.created_at, p.id`,
  versions: 'SELECT version, created_at AS "createdAt", created_by AS "createdBy" FROM policy_versions WHERE tenant_id = ? AND policy_id = ? ORDER BY version',
  version: 'SELECT version, body, created_at AS "createdAt", created_by AS "createdBy" FROM policy_versions WHERE tenant_id = ? AND policy_id = ? AND version = ?',
  assign: `INSERT INTO policy_assignments (tenant_id, site_id, policy_id, version, status, error, updated_at) VALUES (?, ?, ?, ?, 'assigned', NULL, ?)
    ON CONFLICT (tenant_id, site_id) DO UPDATE SET policy_id = excluded.policy_id, version = excluded.version, status = 'assigned', error = NULL, updated_at = excluded.updated_at`,
  assignment: `SELECT ${ASSIGNMENT_COLUMNS} FROM policy_assignments WHERE tenant_id = ? AND site_id = ?`,
  assignmentsOf: `SELECT ${ASSIGNMENT_COLUMNS} FROM policy_assignments WHERE tenant_id = ? AND policy_id = ? ORDER BY site_id`,
  delivered: `UPDATE policy_assignments SET status = 'delivered', updated_at = ?
    WHERE tenant_id = ? AND site_id = ? AND policy_id = ? AND version = ? AND status = 'assigned'`,
  applied: `UPDATE policy_assignments SET applied_policy_id = ?, applied_version = ?, updated_at = ?,
    status = CASE WHEN policy_id = ? AND version = ? THEN 'applied' ELSE status END,
    error = CASE WHEN policy_id = ? AND version = ? THEN NULL ELSE error END
    WHERE tenant_id = ? AND site_id = ?`,
  failed: `UPDATE policy_assignments SET status = 'failed', error = ?, updated_at = ?
    WHERE tenant_id = ? AND site_id = ? AND policy_id = ? AND version = ?`,
} as const;

/**
 * Site policies (CONTRACT.md §9): policies, their immutable versions (numbered 1, 2, … per policy,
 * the body as JSON), and each site's assignment with its rollout status and what its edge reported.
 */
export class PoliciesStore {
  constructor(private readonly db: Db) {}

  /** A new policy with its first version. */
  create(tenantId: string, p: { id: string; name: string; body: unknown; by: string }, now = Date.now()): void {
    this.db.transaction(() => {
      this.db.prepare(SQL.insertPolicy).run(tenantId, p.id, p.name, now, p.by);
      this.db.prepare(SQL.insertVersion).get(tenantId, p.id, JSON.stringify(p.body), now, p.by, tenantId, p.id);
    })();
  }

  /** Appends a version; its number, or undefined when the policy does not exist. */
  addVersion(tenantId: string, policyId: string, body: unknown, by: string, now = Date.now()): number | undefined {
    if (!this.policy(tenantId, policyId)) return undefined;
    const row = this.db.prepare(SQL.insertVersion).get(tenantId, policyId, JSON.stringify(body), now, by, tenantId, policyId) as { version: number };
    return row.version;
  }

  policy(tenantId: string, policyId: string): PolicyRecord | undefined {
    return this.db.prepare(SQL.policy).get(tenantId, policyId) as PolicyRecord | undefined;
  }

  policies(tenantId: string): PolicyRecord[] {
    return this.db.prepare(SQL.policies).all(tenantId) as PolicyRecord[];
  }

  versions(tenantId: string, policyId: string): Array<Omit<PolicyVersionRecord, 'body'>> {
    return this.db.prepare(SQL.versions).all(tenantId, policyId) as Array<Omit<PolicyVersionRecord, 'body'>>;
  }

  version(tenantId: string, policyId: string, version: number): PolicyVersionRecord | undefined {
    const row = this.db.prepare(SQL.version).get(tenantId, policyId, version) as (Omit<PolicyVersionRecord, 'body'> & { body: string }) | undefined;
    return row ? { ...row, body: JSON.parse(row.body) as unknown } : undefined;
  }

  /** Assigns a version to a site (a rollback is an older one): its status starts over at `assigned`. */
  assign(tenantId: string, siteId: string, policyId: string, version: number, now = Date.now()): void {
    this.db.prepare(SQL.assign).run(tenantId, siteId, policyId, version, now);
  }

  assignment(tenantId: string, siteId: string): PolicyAssignment | undefined {
    const row = this.db.prepare(SQL.assignment).get(tenantId, siteId) as AssignmentRow | undefined;
    return row ? assignmentOf(row) : undefined;
  }

  assignmentsOf(tenantId: string, policyId: string): PolicyAssignment[] {
    return (this.db.prepare(SQL.assignmentsOf).all(tenantId, policyId) as AssignmentRow[]).map(assignmentOf);
  }

  /** The assigned version went out to the edge; a later status (applied, failed) is kept. */
  markDelivered(tenantId: string, siteId: string, policyId: string, version: number, now = Date.now()): boolean {
    return this.db.prepare(SQL.delivered).run(now, tenantId, siteId, policyId, version).changes > 0;
  }

  /** The edge's report: what it enforces is recorded whatever it is; the status only for the assigned version. */
  report(tenantId: string, siteId: string, r: PolicyReportInput, now = Date.now()): boolean {
    if (r.applied) {
      return this.db.prepare(SQL.applied).run(r.policyId, r.version, now, r.policyId, r.version, r.policyId, r.version, tenantId, siteId).changes > 0;
    }
    return this.db.prepare(SQL.failed).run(r.error.slice(0, 500), now, tenantId, siteId, r.policyId, r.version).changes > 0;
  }
}
