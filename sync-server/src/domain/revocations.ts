import { MAX_REVOCATIONS, type RevocationsMessage } from '@cr/shared';
import type { TokensPort } from '../store/ports';

/** Life of a LAN token: the longest a person's token lives (CONTRACT: at most 2 h). */
export const LAN_TTL_MS = 2 * 60 * 60_000;
/** How long a person's revocation must hold: every token issued before it has expired by then, with the skew edges allow on `exp`. */
const COVER_MS = LAN_TTL_MS + 2 * 60_000;

/**
 * Revoked people's tokens, stored so the cloud refuses them and sent to every connected edge of
 * the tenant within moments of a change (the edge link's `revocations` message), since an edge
 * verifies LAN tokens offline and otherwise would not learn of them until they expire.
 * Threat: a disabled (or re-scoped, or signed-out) person's LAN token opening doors for hours.
 */
export class Revocations {
  private readonly listeners: Array<(tenantId: string) => void> = [];

  constructor(
    private readonly tokens: TokensPort,
    private readonly now: () => number = Date.now,
  ) {}

  /** Told the tenant whose list changed (the edge link pushes it to that tenant's edges). */
  onChange(listener: (tenantId: string) => void): void {
    this.listeners.push(listener);
  }

  /** Refuses every token of the user issued before now: disabled, changed role or sites, new password. */
  async revokeUser(tenantId: string, userId: string): Promise<void> {
    const now = this.now();
    await this.tokens.revokeUserTokens(tenantId, userId, now, now + COVER_MS);
    this.changed(tenantId);
  }

  /** Refuses one token id until it has expired (`expSec`, the token's own `exp`). */
  async revokeToken(tenantId: string, jti: string, expSec: number): Promise<void> {
    await this.tokens.revokeTokenId(tenantId, jti, expSec * 1000 + 2 * 60_000);
    this.changed(tenantId);
  }

  /** Why a person's token is refused, or undefined. `iat` in seconds, possibly fractional. */
  async refuses(tenantId: string, token: { sub: string; jti: string; iat: number }): Promise<string | undefined> {
    const now = this.now();
    if (await this.tokens.tokenRevoked(tenantId, token.jti, now)) return 'token revoked';
    const before = await this.tokens.userRevokedBefore(tenantId, token.sub, now);
    // Rounded: access tokens carry iat to the millisecond, and a float times 1000 may land a hair below.
    if (before !== undefined && Math.round(token.iat * 1000) < before)
      return 'the account was disabled or changed since this token was issued; sign in again';
    return undefined;
  }

  /** The tenant's whole list as the edge link sends it. */
  async message(tenantId: string): Promise<RevocationsMessage> {
    const all = await this.tokens.revocations(tenantId, this.now(), MAX_REVOCATIONS * 2);
    return {
      type: 'revocations',
      users: all
        .filter((r) => r.kind === 'user')
        .slice(0, MAX_REVOCATIONS)
        .map((r) => ({ userId: r.subject, before: r.before, until: r.until })),
      tokens: all
        .filter((r) => r.kind === 'token')
        .slice(0, MAX_REVOCATIONS)
        .map((r) => ({ jti: r.subject, until: r.until })),
    };
  }

  private changed(tenantId: string): void {
    for (const l of this.listeners) l(tenantId);
  }
}
