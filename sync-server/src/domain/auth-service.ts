import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  keyId,
  PASSWORD_CHANGE_SCOPE,
  principalFromClaims,
  signToken,
  tokenKeyId,
  verifyToken,
  type AccessClaims,
  type Audience,
  type EdgePrincipal,
  type Principal,
  type RevocationsMessage,
  type TokenClaims,
  type UserPrincipal,
} from '@cr/shared';
import type { UserRecord } from '../store/users-store';
import { ApiError, badRequest, forbidden, unauthorized } from './errors';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords';
import type { LoginRateLimit } from './login-rate-limit';
import type { SigningKeys } from './signing-keys';
import { LAN_TTL_MS, type Revocations } from './revocations';
import type { AuditPort, TenantsPort, TokensPort, UsersPort } from '../store/ports';

export { LAN_TTL_MS };
export const ACCESS_TTL_MS = 15 * 60_000;
/** Life of the token that may only change an admin-set password. */
export const PASSWORD_CHANGE_TTL_MS = 10 * 60_000;
export const REFRESH_TTL_MS = 30 * 24 * 60 * 60_000;
/** Edge tokens expire; the cloud renews them over the edge link past half their life (edge-link/link-session.ts). */
export const EDGE_TOKEN_TTL_MS = 30 * 24 * 60 * 60_000;
/** The shortest password a person may choose (the floor of admin-created accounts too). */
export const MIN_PASSWORD_LENGTH = 12;

/** A verified edge token: who it speaks for, and what the link needs to renew it. */
export interface VerifiedEdge extends EdgePrincipal {
  jti: string;
  iat: number;
  exp?: number;
  /** signed with the key before the last rotation, or in the format before tokens named their audience: still accepted, renewed at once */
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

/** What sign-in answers a person whose password was set by an admin: a token for `POST /api/v1/auth/password` only. */
export interface PasswordChangeRequired {
  mustChangePassword: true;
  accessToken: string;
  expiresAt: number;
  user: PublicUser;
}

/** A verified console token: who, and whether it may only change the password. */
export interface ApiCaller {
  principal: UserPrincipal;
  passwordChangeOnly: boolean;
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
  users: UsersPort;
  tokens: TokensPort;
  audit: AuditPort;
  keys: SigningKeys;
  rateLimit: LoginRateLimit;
  revocations: Revocations;
  /** the site directory: an HQ operator's LAN token names every site of the tenant at issue time */
  tenants: Pick<TenantsPort, 'sites'>;
}

type UserFields = Pick<UserRecord, 'id' | 'role' | 'tenantId' | 'siteIds' | 'name'>;

/** Sign-in, token issue and token verification for people and edges. */
export class AuthService {
  constructor(private readonly d: Deps) {}

  /** Checks a password behind the login throttle; the throttle answers before any hash is spent. */
  private async checkPassword(email: string, password: string, source: string): Promise<UserRecord | undefined> {
    const wait = this.d.rateLimit.check(email, source);
    if (wait > 0)
      throw new ApiError(429, 'too-many-attempts', 'too many failed sign-ins from here; try later', Math.ceil(wait / 1000));
    const user = await this.d.users.byEmail(email);
    // Threat: account enumeration by timing; unknown e-mails still pay for one hash.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      this.d.rateLimit.fail(email, source);
      return undefined;
    }
    this.d.rateLimit.succeed(email, source);
    return user;
  }

  private async auditLogin(user: UserRecord, result: 'ok' | 'denied', source: string, action = 'auth.login'): Promise<void> {
    // The actor is the account id (names and e-mails change, and two people may share a name).
    await this.d.audit.append(user.tenantId, {
      actor: user.id,
      action,
      target: user.id,
      result,
      source,
      details: { actorName: user.name, email: user.email },
    });
  }

  async login(email: string, password: string, source: string): Promise<Session | PasswordChangeRequired> {
    const user = await this.checkPassword(email, password, source);
    if (!user) {
      const known = await this.d.users.byEmail(email);
      if (known) await this.auditLogin(known, 'denied', source);
      throw unauthorized('wrong e-mail or password');
    }
    await this.auditLogin(user, 'ok', source);
    if (user.mustChangePassword) {
      const { token, expiresAt } = await this.signAccess(user, { aud: 'api', ttlMs: PASSWORD_CHANGE_TTL_MS, scope: PASSWORD_CHANGE_SCOPE });
      return { mustChangePassword: true, accessToken: token, expiresAt, user: publicUser(user) };
    }
    return this.startSession(user, randomUUID());
  }

  /**
   * Replaces the caller's password after checking the current one (behind the login throttle). Every
   * earlier token of the person stops working — sessions, LAN tokens at the edges, the restricted
   * token this was called with — and a new session starts.
   */
  async changePassword(caller: UserPrincipal, current: string, next: string, source: string): Promise<Session> {
    const rec = await this.d.users.byId(caller.userId);
    if (!rec || rec.disabled || rec.tenantId !== caller.tenantId) throw unauthorized('account disabled');
    if (next.length < MIN_PASSWORD_LENGTH) throw badRequest(`newPassword: at least ${MIN_PASSWORD_LENGTH} characters`);
    if (next === current) throw badRequest('newPassword: must differ from the current password');
    const user = await this.checkPassword(rec.email, current, source);
    if (!user || user.id !== rec.id) {
      await this.auditLogin(rec, 'denied', source, 'auth.password.change');
      throw forbidden('the current password is wrong');
    }
    await this.d.users.setPassword(user.id, await hashPassword(next), { mustChange: false });
    await this.d.tokens.revokeUser(user.id);
    await this.d.revocations.revokeUser(user.tenantId, user.id);
    await this.auditLogin(user, 'ok', source, 'auth.password.change');
    return this.startSession({ ...user, mustChangePassword: false }, randomUUID());
  }

  /** Rotates a refresh token. A token presented twice revokes its whole family (it was stolen). */
  async refresh(refreshToken: string): Promise<Session> {
    const hash = sha256(refreshToken);
    const rec = await this.d.tokens.refresh(hash);
    if (!rec || rec.revokedAt !== null || rec.expiresAt < Date.now()) throw unauthorized('refresh token is not valid');
    if (!(await this.d.tokens.markUsed(hash))) {
      // Threat: replay of a stolen refresh token after the owner already rotated it.
      await this.d.tokens.revokeFamily(rec.familyId);
      throw unauthorized('refresh token was already used; the session is revoked');
    }
    const user = await this.d.users.byId(rec.userId);
    if (!user || user.disabled) throw unauthorized('account disabled');
    if (user.mustChangePassword) throw unauthorized('the password must be changed; sign in again');
    return this.startSession(user, rec.familyId);
  }

  /** Ends the session of a refresh token and, when given, revokes the console's LAN token at every edge. */
  async logout(refreshToken: string, lanToken?: string): Promise<void> {
    const rec = await this.d.tokens.refresh(sha256(refreshToken));
    if (rec) await this.d.tokens.revokeFamily(rec.familyId);
    if (!lanToken) return;
    const r = await verifyToken(lanToken, this.d.keys.publicKey, { audience: 'edge' });
    // Anyone holding a LAN token may give it up; nothing else is learned from the answer (always 204).
    if (r.ok && r.claims.typ === 'access') await this.d.revocations.revokeToken(r.claims.tenantId, r.claims.jti, r.claims.exp);
  }

  private async startSession(user: UserRecord, familyId: string): Promise<Session> {
    const { token, expiresAt } = await this.accessToken(user, ACCESS_TTL_MS);
    const refreshToken = randomBytes(32).toString('base64url');
    await this.d.tokens.addRefresh(sha256(refreshToken), user.id, familyId, Date.now() + REFRESH_TTL_MS);
    return { accessToken: token, refreshToken, expiresAt, user: publicUser(user) };
  }

  private async signAccess(
    user: UserFields,
    o: { aud: Extract<Audience, 'api' | 'edge'>; ttlMs: number; scope?: AccessClaims['scope'] },
  ): Promise<{ token: string; expiresAt: number }> {
    const now = Date.now();
    const expiresAt = now + o.ttlMs;
    const claims = {
      typ: 'access' as const,
      aud: o.aud,
      sub: user.id,
      role: user.role,
      tenantId: user.tenantId,
      siteIds: user.siteIds,
      name: user.name,
      ...(o.scope ? { scope: o.scope } : {}),
      // To the millisecond: a revocation at time t refuses exactly the tokens issued before t.
      iat: now / 1000,
      exp: Math.floor(expiresAt / 1000),
      jti: randomUUID(),
    };
    return { token: await signToken(claims, this.d.keys.privateKey), expiresAt };
  }

  /** A console access token (audience `api`). */
  accessToken(user: UserFields, ttlMs: number): Promise<{ token: string; expiresAt: number }> {
    return this.signAccess(user, { aud: 'api', ttlMs });
  }

  /**
   * A 2 h token for an edge's LAN API while the internet is down (audience `edge`: the cloud API
   * refuses it); only roles that act on sites get one. It names the sites explicitly, and an edge
   * takes it only if its own site is listed: an HQ operator's covers every site of the tenant that
   * exists now. Threat: a LAN token issued before a site existed (or copied off a laptop) opening the
   * doors of a gateway installed later, which no revocation would ever have named.
   */
  async lanToken(user: UserPrincipal): Promise<{ token: string; expiresAt: number }> {
    if (user.role !== 'hq-operator' && user.role !== 'site-manager')
      throw forbidden(`${user.role} does not act on sites`);
    const rec = await this.d.users.byId(user.userId);
    if (!rec || rec.disabled) throw unauthorized('account disabled');
    const tenantSites = (await this.d.tenants.sites(rec.tenantId)).map((s) => s.id);
    const siteIds = rec.role === 'hq-operator' ? tenantSites : rec.siteIds.filter((id) => tenantSites.includes(id));
    return this.signAccess({ ...rec, siteIds }, { aud: 'edge', ttlMs: LAN_TTL_MS });
  }

  /** A new edge token (a new revocable id) for a site's gateway, valid `ttlMs`. */
  async edgeToken(
    tenantId: string,
    siteId: string,
    ttlMs = EDGE_TOKEN_TTL_MS,
  ): Promise<{ token: string; jti: string; expiresAt: number }> {
    const jti = randomUUID();
    await this.d.tokens.addEdgeToken(jti, tenantId, siteId);
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
      aud: 'edge-link' as const,
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
   * Checks the signature with the key the token names (`kid`): the current key, or for an edge
   * token the key before the last rotation, so gateways keep their link across a key rotation and
   * get a token of the new key over it. People sign in again.
   */
  private async verifyClaims(
    token: string,
    audience: readonly Audience[],
  ): Promise<{ claims: TokenClaims; previousKey: boolean; legacy: boolean }> {
    const previous = this.d.keys.previousPublicKey;
    const kid = tokenKeyId(token);
    const named = previous && kid !== undefined && kid === (await keyId(previous)) ? previous : this.d.keys.publicKey;
    const opts = { audience, acceptLegacyEdge: audience.includes('edge-link') };
    let result = await verifyToken(token, named, opts);
    let previousKey = named === previous;
    // Edge tokens of the old format name no key: they may carry the previous one.
    if (!result.ok && kid === undefined && previous && result.error === 'bad signature') {
      result = await verifyToken(token, previous, opts);
      previousKey = true;
    }
    if (!result.ok) throw unauthorized(result.error);
    if (previousKey && result.claims.typ !== 'edge') throw unauthorized('the signing key changed; sign in again');
    return { claims: result.claims, previousKey, legacy: result.legacy === true };
  }

  /**
   * Verifies a token for `audience` (the console API and document sync take `api` and `edge-link`;
   * LAN tokens never): a person's access token (current, not revoked) or a site's edge token (not
   * revoked). A token that may only change a password is refused here.
   */
  async verify(
    token: string,
    audience: readonly Audience[] = ['api', 'edge-link'],
  ): Promise<{ principal: Principal; jti: string; claims: TokenClaims; previousKey: boolean; legacy: boolean }> {
    const { claims, previousKey, legacy } = await this.verifyClaims(token, audience);
    if (claims.typ === 'edge') {
      const rec = await this.d.tokens.edgeToken(claims.jti);
      // Threat: a gateway that was stolen or replaced keeps syncing with its old token.
      if (!rec || rec.revokedAt !== null || rec.siteId !== claims.siteId || rec.tenantId !== claims.tenantId)
        throw unauthorized('edge token revoked');
      // Threat: a token copied off a gateway long ago. The cloud issued it by its own clock, so no skew allowance.
      if (claims.exp !== undefined && Date.now() >= claims.exp * 1000) throw unauthorized('edge token expired');
    } else {
      await this.checkCurrent(claims);
      // Threat: a token meant only for replacing an admin-set password used for anything else.
      if (claims.scope === PASSWORD_CHANGE_SCOPE) throw unauthorized('this token may only change the password');
    }
    return { principal: principalFromClaims(claims), jti: claims.jti, claims, previousKey, legacy };
  }

  /** Threat: a disabled, demoted, re-scoped or signed-out user acting on with a token issued before the change. */
  private async checkCurrent(c: AccessClaims): Promise<void> {
    const u = await this.d.users.byId(c.sub);
    const sameSites = (a: readonly string[], b: readonly string[]) =>
      a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
    if (!u || u.disabled || u.tenantId !== c.tenantId || u.role !== c.role || !sameSites(u.siteIds, c.siteIds))
      throw unauthorized('the account was disabled or changed since this token was issued; sign in again');
    // A full token issued before an admin set a new password (the account must choose its own first).
    if (u.mustChangePassword && c.scope !== PASSWORD_CHANGE_SCOPE) throw unauthorized('the password must be changed; sign in again');
    const revoked = await this.d.revocations.refuses(c.tenantId, c);
    if (revoked) throw unauthorized(revoked);
  }

  /** A console API token (audience `api`): LAN tokens and edge tokens are refused. */
  async verifyApi(token: string): Promise<ApiCaller> {
    const { claims } = await this.verifyClaims(token, ['api']);
    if (claims.typ !== 'access') throw unauthorized('an edge token cannot call the console API');
    await this.checkCurrent(claims);
    return { principal: principalFromClaims(claims) as UserPrincipal, passwordChangeOnly: claims.scope === PASSWORD_CHANGE_SCOPE };
  }

  /** The tenant's revocation list, as the edge link sends it after `welcome`. */
  revocationList(tenantId: string): Promise<RevocationsMessage> {
    return this.d.revocations.message(tenantId);
  }

  async verifyEdge(token: string): Promise<VerifiedEdge> {
    const { principal, jti, claims, previousKey, legacy } = await this.verify(token, ['edge-link']);
    if (principal.kind !== 'edge') throw unauthorized('an edge token is required');
    return { ...principal, jti, iat: claims.iat, exp: claims.exp, signedByPreviousKey: previousKey || legacy };
  }
}
