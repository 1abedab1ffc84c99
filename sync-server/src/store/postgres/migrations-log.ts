/** Audit log (hash-chained per tenant), tenant keys, members. */
export const LOG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tenant_keys (tenant_id TEXT PRIMARY KEY, wrapped BYTEA NOT NULL, created_at BIGINT NOT NULL);
  CREATE TABLE members (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, body BYTEA, version BIGINT NOT NULL, updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id));
  CREATE INDEX members_version ON members(tenant_id, version);
  CREATE TABLE permission_versions (tenant_id TEXT PRIMARY KEY, version BIGINT NOT NULL);
  CREATE TABLE member_credentials (
    tenant_id TEXT NOT NULL, credential BYTEA NOT NULL, member_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, credential));
  CREATE INDEX member_credentials_by_member ON member_credentials(tenant_id, member_id);
  CREATE TABLE audit_log (
    seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id TEXT NOT NULL, ts BIGINT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL, site_id TEXT,
    personal_hash TEXT NOT NULL, hash TEXT NOT NULL);
  CREATE INDEX audit_by_time ON audit_log(tenant_id, ts);
  CREATE INDEX audit_chain ON audit_log(tenant_id, seq);
  CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
  CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
  CREATE TABLE audit_personal (
    seq BIGINT PRIMARY KEY, ts BIGINT NOT NULL, salt BYTEA NOT NULL, actor TEXT NOT NULL, source TEXT, details TEXT);
  CREATE INDEX audit_personal_by_time ON audit_personal(ts);
  `,
];
