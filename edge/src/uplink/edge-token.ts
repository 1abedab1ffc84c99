import { edgeClaimsSchema, type EdgeClaims } from '@cr/shared';
import type { Settings } from '../store/db';
import type { TokenVerifier } from '../http/token-verifier';

const KEY = 'cloud.edgeToken';

/** The claims of a token, unverified: only to compare tokens this edge already holds. */
function claimsOf(token: string | undefined): EdgeClaims | undefined {
  try {
    const payload = token?.split('.')[1];
    if (!payload) return undefined;
    const parsed = edgeClaimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The edge's own token for the cloud. Edge tokens expire; the cloud sends a fresh one over the link
 * before that, which is persisted here and used for every later connection (control link and
 * document sync). The newest of the stored token and the one given on the command line wins, so an
 * operator can still hand a gateway a new token after a long outage.
 */
export class EdgeTokenStore {
  private token: string;

  constructor(
    private readonly settings: Settings,
    configured: string,
    private readonly site: { tenantId: string; siteId: string },
  ) {
    const stored = settings.get(KEY);
    const storedClaims = claimsOf(stored);
    const mine = storedClaims?.siteId === site.siteId && storedClaims.tenantId === site.tenantId;
    this.token = mine && storedClaims.iat > (claimsOf(configured)?.iat ?? 0) ? stored! : configured;
  }

  get current(): string {
    return this.token;
  }

  /**
   * Takes a token the cloud sent. Threat: a token that would lock the edge out (garbage, another
   * site's, an older one) replacing a working one; only a newer edge token for this site, signed
   * by the pinned cloud key, is kept. Returns why a token was refused.
   */
  async accept(token: string, verifier: TokenVerifier): Promise<string | undefined> {
    const r = await verifier.check(token);
    if (!r.ok) return r.error;
    const c = r.claims;
    if (c.typ !== 'edge' || c.siteId !== this.site.siteId || c.tenantId !== this.site.tenantId) return 'not an edge token of this site';
    if (c.iat < (claimsOf(this.token)?.iat ?? 0)) return 'older than the token in use';
    this.settings.set(KEY, token);
    this.token = token;
    return undefined;
  }
}
