import type { TokensPort } from '../ports';
import type { EdgeTokenRecord, RefreshRecord, Revocation } from '../tokens-store';
import type { PgDb } from './pg-db';

const SQL = {
  insertRefresh: `INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, created_at)
    VALUES ($1, $2, $3, $4, $5)`,
  refresh: `SELECT token_hash AS "tokenHash", user_id AS "userId", family_id AS "familyId", expires_at AS "expiresAt",
    used_at AS "usedAt", revoked_at AS "revokedAt" FROM refresh_tokens WHERE token_hash = $1`,
  markUsed: 'UPDATE refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND revoked_at IS NULL',
  revokeFamily: 'UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL',
  revokeUser: 'UPDATE refresh_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL',
  insertEdge: 'INSERT INTO edge_tokens (jti, tenant_id, site_id, created_at) VALUES ($1, $2, $3, $4)',
  edge: `SELECT jti, tenant_id AS "tenantId", site_id AS "siteId", revoked_at AS "revokedAt" FROM edge_tokens WHERE jti = $1`,
  edgesOfSite: `SELECT jti, tenant_id AS "tenantId", site_id AS "siteId", created_at AS "createdAt", revoked_at AS "revokedAt"
    FROM edge_tokens WHERE tenant_id = $1 AND site_id = $2 ORDER BY created_at`,
  pruneRefresh: `DELETE FROM refresh_tokens WHERE token_hash IN
    (SELECT token_hash FROM refresh_tokens WHERE expires_at < $1 LIMIT $2)`,
  revokeEdge: 'UPDATE edge_tokens SET revoked_at = $1 WHERE jti = $2 AND tenant_id = $3 AND revoked_at IS NULL',
  revoke: `INSERT INTO token_revocations (tenant_id, kind, subject, issued_before, until) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (tenant_id, kind, subject) DO UPDATE SET
      issued_before = GREATEST(token_revocations.issued_before, excluded.issued_before),
      until = GREATEST(token_revocations.until, excluded.until)`,
  revocations: `SELECT kind, subject, issued_before AS before, until FROM token_revocations WHERE tenant_id = $1 AND until > $2
    ORDER BY until DESC LIMIT $3`,
  userRevokedBefore: `SELECT issued_before AS before FROM token_revocations
    WHERE tenant_id = $1 AND kind = 'user' AND subject = $2 AND until > $3`,
  tokenRevoked: `SELECT 1 FROM token_revocations WHERE tenant_id = $1 AND kind = 'token' AND subject = $2 AND until > $3`,
  pruneRevocations: 'DELETE FROM token_revocations WHERE until <= $1',
} as const;

/** Refresh tokens (hashes only), edge token ids and revocations in PostgreSQL (the same contract as TokensStore). */
export class PgTokensStore implements TokensPort {
  constructor(private readonly db: PgDb) {}

  private async run(sql: string, params: unknown[]): Promise<number> {
    return (await this.db.pool.query(sql, params)).rowCount ?? 0;
  }

  async addRefresh(
    tokenHash: string,
    userId: string,
    familyId: string,
    expiresAt: number,
    now = Date.now(),
  ): Promise<void> {
    await this.run(SQL.insertRefresh, [tokenHash, userId, familyId, expiresAt, now]);
  }

  async refresh(tokenHash: string): Promise<RefreshRecord | undefined> {
    return (await this.db.pool.query<RefreshRecord>(SQL.refresh, [tokenHash])).rows[0];
  }

  /** Marks a refresh token used; false when someone else used or revoked it first. */
  async markUsed(tokenHash: string, now = Date.now()): Promise<boolean> {
    return (await this.run(SQL.markUsed, [now, tokenHash])) === 1;
  }

  async revokeFamily(familyId: string, now = Date.now()): Promise<void> {
    await this.run(SQL.revokeFamily, [now, familyId]);
  }

  /** Ends every session of a user (disabled, or a password set by an admin). */
  revokeUser(userId: string, now = Date.now()): Promise<number> {
    return this.run(SQL.revokeUser, [now, userId]);
  }

  /** Retention: deletes up to `limit` refresh tokens that expired before `before`. Returns how many. */
  pruneRefreshBefore(before: number, limit: number): Promise<number> {
    return this.run(SQL.pruneRefresh, [before, limit]);
  }

  async addEdgeToken(jti: string, tenantId: string, siteId: string, now = Date.now()): Promise<void> {
    await this.run(SQL.insertEdge, [jti, tenantId, siteId, now]);
  }

  async edgeToken(jti: string): Promise<EdgeTokenRecord | undefined> {
    return (await this.db.pool.query<EdgeTokenRecord>(SQL.edge, [jti])).rows[0];
  }

  async edgeTokensOfSite(tenantId: string, siteId: string): Promise<EdgeTokenRecord[]> {
    return (await this.db.pool.query<EdgeTokenRecord>(SQL.edgesOfSite, [tenantId, siteId])).rows;
  }

  async revokeEdgeToken(tenantId: string, jti: string, now = Date.now()): Promise<boolean> {
    return (await this.run(SQL.revokeEdge, [now, jti, tenantId])) === 1;
  }

  /** Refuses a person's tokens issued before `before` until `until` (a later call only widens both). */
  async revokeUserTokens(tenantId: string, userId: string, before: number, until: number): Promise<void> {
    await this.run(SQL.revoke, [tenantId, 'user', userId, before, until]);
  }

  /** Refuses one token id until `until` (its expiry). */
  async revokeTokenId(tenantId: string, jti: string, until: number): Promise<void> {
    await this.run(SQL.revoke, [tenantId, 'token', jti, 0, until]);
  }

  /** The tenant's revocations still in force at `now`, newest-ending first, at most `limit`. */
  async revocations(tenantId: string, now: number, limit: number): Promise<Revocation[]> {
    await this.run(SQL.pruneRevocations, [now]);
    return (await this.db.pool.query<Revocation>(SQL.revocations, [tenantId, now, limit])).rows;
  }

  /** When the user's tokens stop being revoked from, or undefined when none are. */
  async userRevokedBefore(tenantId: string, userId: string, now: number): Promise<number | undefined> {
    return (await this.db.pool.query<{ before: number }>(SQL.userRevokedBefore, [tenantId, userId, now])).rows[0]
      ?.before;
  }

  async tokenRevoked(tenantId: string, jti: string, now: number): Promise<boolean> {
    return ((await this.db.pool.query(SQL.tokenRevoked, [tenantId, jti, now])).rowCount ?? 0) > 0;
  }
}
