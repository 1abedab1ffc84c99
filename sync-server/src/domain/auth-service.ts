import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  principalFromClaims,
  signToken,
  verifyToken,
  type EdgePrincipal,
  type Principal,
  type TokenClaims,
  type UserPrincipal,
} from '@cr/shared';
import type { TokensStore } from '../store/tokens-store';
import type { UsersStore, UserRecord } from '../store/users-store';
import type { AuditStore } from '../store/audit-store';
import { ApiError, forbidden, unauthorized } from './errors';
import { DUMMY_HASH, verifyPassword } from './passwords';
import type { LoginRateLimit } from './login-rate-limit';
import type { SigningKeys } from './signing-keys';

export const ACCESS_TTL_MS = 15 * 60_000;
export const LAN_TTL_MS = 12 * 60 * 60_000;
export const REFRESH_TTL_MS = 30 * 24 * 60 * 60_000;
/** Edge tokens expire; the cloud renews them over the edge link past half their life (edge-link/link-session.ts). */
export const EDGE_TOKEN_TTL_MS = 30 * 24 * 60 * 60_000;

/** A verified edge token: who it speaks for, and what the link needs to renew it. */
export interface VerifiedEdge extends EdgePrincipal {
  jti: string;
  iat: number;
  exp?: number;
  /** signed with the key before the last rotation: still accepted, renewed at once */
  signedByPreviousKey: boolean;
}

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: UserRecord['role'];
  tenantId: string;
  siteIds: string[];
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  user: PublicUser;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

export const publicUser = (u: UserRecord): PublicUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  tenantId: u.tenantId,
  siteIds: u.siteIds,
});

interface Deps {
  users: UsersStore;
  tokens: TokensStore;
  audit: AuditStore;
  keys: SigningKeys;
  rateLimit: LoginRateLimit;
}

/** Sign-in, token issue and token verification for people and edges. */
export class AuthService {
  constructor(private readonly d: Deps) {}

  async login(email: string, password: string, source: string): Promise<Session> {
    const wait = this.d.rateLimit.retryAfter(email);
    if (wait > 0)
      throw new ApiError(
        429,
        'too-many-attempts',
        'too many failed logins for this account; try later',
        Math.ceil(wait / 1000),
      );
    const user = this.d.users.byEmail(email);
    // Threat: account enumeration by timing; unknown e-mails still pay for one hash.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      this.d.rateLimit.fail(email);
      if (user)
        this.d.audit.append(user.tenantId, {
          actor: user.email,
          action: 'auth.login',
          target: user.id,
          result: 'denied',
          source,
        });
      throw unauthorized('wrong e-mail or password');
    }
    this.d.rateLimit.succeed(email);
    this.d.audit.append(user.tenantId, {
      actor: user.email,
      action: 'auth.login',
      target: user.id,
      result: 'ok',
      source,
    });
    return this.startSession(user, randomUUID());
  }

  /** Rotates a refresh token. A token presented twice revokes its whole family (it was stolen). */
  async refresh(refreshToken: string): Promise<Session> {
    const hash = sha256(refreshToken);
    const rec = this.d.tokens.refresh(hash);
    if (!rec || rec.revokedAt !== null || rec.expiresAt < Date.now()) throw unauthorized('refresh token is not valid');
    if (!this.d.tokens.markUsed(hash)) {
      // Threat: replay of a stolen refresh token after the owner already rotated it.
      this.d.tokens.revokeFamily(rec.familyId);
      throw unauthorized('refresh token was already used; the session is revoked');
    }
    const user = this.d.users.byId(rec.userId);
    if (!user || user.disabled) throw unauthorized('account disabled');
    return this.startSession(user, rec.familyId);
  }

  logout(refreshToken: string): void {
    const rec = this.d.tokens.refresh(sha256(refreshToken));
    if (rec) this.d.tokens.revokeFamily(rec.familyId);
  }

  private async startSession(user: UserRecord, familyId: string): Promise<Session> {
    const { token, expiresAt } = await this.accessToken(user, ACCESS_TTL_MS);
    const refreshToken = randomBytes(32).toString('base64url');
    this.d.tokens.addRefresh(sha256(refreshToken), user.id, familyId, Date.now() + REFRESH_TTL_MS);
    return { accessToken: token, refreshToken, expiresAt, user: publicUser(user) };
  }

  async accessToken(
    user: Pick<UserRecord, 'id' | 'role' | 'tenantId' | 'siteIds' | 'name'>,
    ttlMs: number,
  ): Promise<{ token: string; expiresAt: number }> {
    const now = Date.now();
    const expiresAt = now + ttlMs;
    const claims = {
      typ: 'access' as const,
      sub: user.id,
      role: user.role,
      tenantId: user.tenantId,
      siteIds: user.siteIds,
      name: user.name,
      iat: Math.floor(now / 1000),
      exp: Math.floor(expiresAt / 1000),
      jti: randomUUID(),
    };
    return { token: await signToken(claims, this.d.keys.privateKey), expiresAt };
  }

  /** A 12 h token for an edge's LAN API while the internet is down; only roles that act on sites get one. */
  async lanToken(user: UserPrincipal): Promise<{ token: string; expiresAt: number }> {
    if (user.role !== 'hq-operator' && user.role !== 'site-manager')
      throw forbidden(`${user.role} does not act on sites`);
    const rec = this.d.users.byId(user.userId);
    if (!rec || rec.disabled) throw unauthorized('account disabled');
    return this.accessToken(rec, LAN_TTL_MS);
  }

  /** A new edge token (a new revocable id) for a site's gateway, valid `ttlMs`. */
  async edgeToken(
    tenantId: string,
    siteId: string,
    ttlMs = EDGE_TOKEN_TTL_MS,
  ): Promise<{ token: string; jti: string; expiresAt: number }> {
    const jti = randomUUID();
    this.d.tokens.addEdgeToken(jti, tenantId, siteId);
    return this.signEdgeToken({ tenantId, siteId, jti }, ttlMs);
  }

  /**
   * The same edge token (same id, so revoking it ends both) with a later expiry, signed with the
   * current key: what the edge link sends a gateway whose token is past half its life.
   */
  renewEdgeToken(
    edge: { tenantId: string; siteId: string; jti: string },
    ttlMs = EDGE_TOKEN_TTL_MS,
  ): Promise<{ token: string; jti: string; expiresAt: number }> {
    return this.signEdgeToken(edge, ttlMs);
  }

  private async signEdgeToken(
    edge: { tenantId: string; siteId: string; jti: string },
    ttlMs: number,
  ): Promise<{ token: string; jti: string; expiresAt: number }> {
    const now = Date.now();
    const claims = {
      typ: 'edge' as const,
      sub: `edge:${edge.siteId}`,
      tenantId: edge.tenantId,
      siteId: edge.siteId,
      iat: Math.floor(now / 1000),
      exp: Math.floor((now + ttlMs) / 1000),
      jti: edge.jti,
    };
    return { token: await signToken(claims, this.d.keys.privateKey), jti: edge.jti, expiresAt: claims.exp * 1000 };
  }

  /**
   * Checks the signature with the current key; an edge token may also carry the key before the
   * last rotation, so gateways keep their link across a key rotation and get a token of the new
   * key over it. People sign in again.
   */
  private async verifyClaims(token: string): Promise<{ claims: TokenClaims; previousKey: boolean }> {
    const result = await verifyToken(token, this.d.keys.publicKey);
    if (result.ok) return { claims: result.claims, previousKey: false };
    const previous = this.d.keys.previousPublicKey;
    const old = previous && result.error === 'bad signature' ? await verifyToken(token, previous) : undefined;
    if (old?.ok && old.claims.typ === 'edge') return { claims: old.claims, previousKey: true };
    throw unauthorized(result.error);
  }

  /** Verifies any token: a person's access token or a site's edge token (which must not be revoked). */
  async verify(token: string): Promise<{ principal: Principal; jti: string; claims: TokenClaims; previousKey: boolean }> {
    const { claims, previousKey } = await this.verifyClaims(token);
    if (claims.typ === 'edge') {
      const rec = this.d.tokens.edgeToken(claims.jti);
      // Threat: a gateway that was stolen or replaced keeps syncing with its old token.
      if (!rec || rec.revokedAt !== null || rec.siteId !== claims.siteId || rec.tenantId !== claims.tenantId)
        throw unauthorized('edge token revoked');
      // Threat: a token copied off a gateway long ago. The cloud issued it by its own clock, so no skew allowance.
      if (claims.exp !== undefined && Date.now() >= claims.exp * 1000) throw unauthorized('edge token expired');
    }
    const principal = principalFromClaims(claims);
    if (principal.kind === 'user') this.checkCurrent(principal);
    return { principal, jti: claims.jti, claims, previousKey };
  }

  /** Threat: a disabled, demoted or re-scoped user acting on with a token issued before the change. */
  private checkCurrent(p: UserPrincipal): void {
    const u = this.d.users.byId(p.userId);
    const sameSites = (a: readonly string[], b: readonly string[]) =>
      a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
    if (!u || u.disabled || u.tenantId !== p.tenantId || u.role !== p.role || !sameSites(u.siteIds, p.siteIds))
      throw unauthorized('the account was disabled or changed since this token was issued; sign in again');
  }

  async verifyUser(token: string): Promise<UserPrincipal> {
    const { principal } = await this.verify(token);
    if (principal.kind !== 'user') throw unauthorized('an edge token cannot call the console API');
    return principal;
  }

  async verifyEdge(token: string): Promise<VerifiedEdge> {
    const { principal, jti, claims, previousKey } = await this.verify(token);
    if (principal.kind !== 'edge') throw unauthorized('an edge token is required');
    return { ...principal, jti, iat: claims.iat, exp: claims.exp, signedByPreviousKey: previousKey };
  }
}
