import type { Db } from './db';

export interface RefreshRecord {
  tokenHash: string;
  userId: string;
  familyId: string;
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
}

const SQL = {
  insertRefresh: `INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at, created_at)
    VALUES (?, ?, ?, ?, ?)`,
  refresh: `SELECT token_hash AS tokenHash, user_id AS userId, family_id AS familyId, expires_at AS expiresAt,
    used_at AS usedAt, revoked_at AS revokedAt FROM refresh_tokens WHERE token_hash = ?`,
  markUsed: 'UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL',
  revokeFamily: 'UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL',
  revokeUser: 'UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL',
  insertEdge: 'INSERT INTO edge_tokens (jti, tenant_id, site_id, created_at) VALUES (?, ?, ?, ?)',
  edge: 'SELECT jti, tenant_id AS tenantId, site_id AS siteId, revoked_at AS revokedAt FROM edge_tokens WHERE jti = ?',
  edgesOfSite: `SELECT jti, tenant_id AS tenantId, site_id AS siteId, created_at AS createdAt, revoked_at AS revokedAt
    FROM edge_tokens WHERE tenant_id = ? AND site_id = ? ORDER BY created_at`,
  pruneRefresh: `DELETE FROM refresh_tokens WHERE rowid IN
    (SELECT rowid FROM refresh_tokens WHERE expires_at < ? LIMIT ?)`,
  revokeEdge: 'UPDATE edge_tokens SET revoked_at = ? WHERE jti = ? AND tenant_id = ? AND revoked_at IS NULL',
  revoke: `INSERT INTO token_revocations (tenant_id, kind, subject, issued_before, until) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (tenant_id, kind, subject) DO UPDATE SET
      issued_before = max(issued_before, excluded.issued_before), until = max(until, excluded.until)`,
  revocations: `SELECT kind, subject, issued_before AS before, until FROM token_revocations WHERE tenant_id = ? AND until > ?
    ORDER BY until DESC LIMIT ?`,
  userRevokedBefore: `SELECT issued_before AS before FROM token_revocations WHERE tenant_id = ? AND kind = 'user' AND subject = ? AND until > ?`,
  tokenRevoked: `SELECT 1 FROM token_revocations WHERE tenant_id = ? AND kind = 'token' AND subject = ? AND until > ?`,
  pruneRevocations: 'DELETE FROM token_revocations WHERE until <= ?',
} as const;

/** A revocation the edges enforce: a person's tokens issued before `before`, or one token id. */
export interface Revocation {
  kind: 'user' | 'token';
  /** user id or token id */
  subject: string;
  /** for `user`: tokens issued before this (ms) are refused */
  before: number;
  /** every token it concerns has expired by then (ms); the entry is dropped afterwards */
  until: number;
}

export interface EdgeTokenRecord {
  jti: string;
  tenantId: string;
  siteId: string;
  createdAt?: number;
  revokedAt: number | null;
}

/** Refresh tokens (stored only as hashes), the list of edge token ids that are valid, and revoked people's tokens. */
export class TokensStore {
  constructor(private readonly db: Db) {}

  addRefresh(tokenHash: string, userId: string, familyId: string, expiresAt: number, now = Date.now()): void {
    this.db.prepare(SQL.insertRefresh).run(tokenHash, userId, familyId, expiresAt, now);
  }

  refresh(tokenHash: string): RefreshRecord | undefined {
    return this.db.prepare(SQL.refresh).get(tokenHash) as RefreshRecord | undefined;
  }

  /** Marks a refresh token used; false when someone else used or revoked it first. */
  markUsed(tokenHash: string, now = Date.now()): boolean {
    return this.db.prepare(SQL.markUsed).run(now, tokenHash).changes === 1;
  }

  revokeFamily(familyId: string, now = Date.now()): void {
    this.db.prepare(SQL.revokeFamily).run(now, familyId);
  }

  /** Ends every session of a user (disabled, or a password set by an admin). */
  revokeUser(userId: string, now = Date.now()): number {
    return this.db.prepare(SQL.revokeUser).run(now, userId).changes;
  }

  /**
   * Retention: deletes up to `limit` refresh tokens that expired before `before` (who signed in
   * when is personal data; an expired token is refused whether its row exists or not). Returns how many.
   */
  pruneRefreshBefore(before: number, limit: number): number {
    return this.db.prepare(SQL.pruneRefresh).run(before, limit).changes;
  }

  addEdgeToken(jti: string, tenantId: string, siteId: string, now = Date.now()): void {
    this.db.prepare(SQL.insertEdge).run(jti, tenantId, siteId, now);
  }

  edgeToken(jti: string): EdgeTokenRecord | undefined {
    return this.db.prepare(SQL.edge).get(jti) as EdgeTokenRecord | undefined;
  }

  edgeTokensOfSite(tenantId: string, siteId: string): EdgeTokenRecord[] {
    return this.db.prepare(SQL.edgesOfSite).all(tenantId, siteId) as EdgeTokenRecord[];
  }

  revokeEdgeToken(tenantId: string, jti: string, now = Date.now()): boolean {
    return this.db.prepare(SQL.revokeEdge).run(now, jti, tenantId).changes === 1;
  }

  /** Refuses a person's tokens issued before `before` until `until` (a later call only widens both). */
  revokeUserTokens(tenantId: string, userId: string, before: number, until: number): void {
    this.db.prepare(SQL.revoke).run(tenantId, 'user', userId, before, until);
  }

  /** Refuses one token id until `until` (its expiry). */
  revokeTokenId(tenantId: string, jti: string, until: number): void {
    this.db.prepare(SQL.revoke).run(tenantId, 'token', jti, 0, until);
  }

  /** The tenant's revocations still in force at `now`, newest-ending first, at most `limit`. */
  revocations(tenantId: string, now: number, limit: number): Revocation[] {
    this.db.prepare(SQL.pruneRevocations).run(now);
    return this.db.prepare(SQL.revocations).all(tenantId, now, limit) as Revocation[];
  }

  /** When the user's tokens stop being revoked from, or undefined when none are. */
  userRevokedBefore(tenantId: string, userId: string, now: number): number | undefined {
    return (this.db.prepare(SQL.userRevokedBefore).get(tenantId, userId, now) as { before: number } | undefined)
      ?.before;
  }

  tokenRevoked(tenantId: string, jti: string, now: number): boolean {
    return this.db.prepare(SQL.tokenRevoked).get(tenantId, jti, now) !== undefined;
  }
}
