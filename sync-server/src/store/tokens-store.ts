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
  revokeEdge: 'UPDATE edge_tokens SET revoked_at = ? WHERE jti = ? AND tenant_id = ? AND revoked_at IS NULL',
} as const;

export interface EdgeTokenRecord {
  jti: string;
  tenantId: string;
  siteId: string;
  createdAt?: number;
  revokedAt: number | null;
}

/** Refresh tokens (stored only as hashes) and the list of edge token ids that are valid. */
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
}
