/** Users, refresh tokens, edge tokens and token revocations. */
export const AUTH_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL, role TEXT NOT NULL, site_ids TEXT NOT NULL, password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE, must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL);
  CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), family_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL, used_at BIGINT, revoked_at BIGINT, created_at BIGINT NOT NULL);
  CREATE INDEX refresh_family ON refresh_tokens(family_id);
  CREATE INDEX refresh_by_user ON refresh_tokens(user_id);
  CREATE INDEX refresh_by_expiry ON refresh_tokens(expires_at);
  CREATE TABLE edge_tokens (
    jti TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, site_id TEXT NOT NULL,
    created_at BIGINT NOT NULL, revoked_at BIGINT);
  CREATE INDEX edge_tokens_by_site ON edge_tokens(tenant_id, site_id, created_at);
  CREATE TABLE token_revocations (
    tenant_id TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, issued_before BIGINT NOT NULL, until BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, kind, subject));
  CREATE INDEX token_revocations_until ON token_revocations(until);
  `,
];
