/** Site policies (store/policies-store.ts). */
export const POLICY_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE policies (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, created_at BIGINT NOT NULL, created_by TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id));
  CREATE TABLE policy_versions (
    tenant_id TEXT NOT NULL, policy_id TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL, PRIMARY KEY (tenant_id, policy_id, version));
  CREATE TABLE policy_assignments (
    tenant_id TEXT NOT NULL, site_id TEXT NOT NULL, policy_id TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,
    error TEXT, applied_policy_id TEXT, applied_version INTEGER, updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, site_id));
  CREATE INDEX policy_assignments_by_policy ON policy_assignments(tenant_id, policy_id);
  `,
  // Staged rollouts (store/policy-rollouts-store.ts): the record as JSON, its state for the ones still running.
  `
  CREATE TABLE policy_rollouts (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, policy_id TEXT NOT NULL, state TEXT NOT NULL, body TEXT NOT NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, id));
  CREATE INDEX policy_rollouts_by_policy ON policy_rollouts(tenant_id, policy_id);
  CREATE INDEX policy_rollouts_by_state ON policy_rollouts(state);
  `,
];
