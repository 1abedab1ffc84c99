import {
  importPublicKey,
  principalFromClaims,
  verifyToken,
  type Audience,
  type Principal,
  type VerifyResult,
} from '@cr/shared';
import type { Settings } from '../store/db';
import { RevocationList } from '../uplink/revocation-list';

const KEY = 'cloud.publicKey';

export type VerifyOutcome = { ok: true; principal: Principal } | { ok: false; status: 401 | 503; error: string };

/**
 * Verifies cloud-issued tokens offline with the cloud's public key, pinned in SQLite the first time
 * the cloud presented it (uplink/key-pin.ts decides when a different key may replace it), so a branch
 * manager's LAN token works while the internet is down. People's tokens must be LAN tokens
 * (audience `edge`) that the cloud's revocation list does not name.
 */
export class TokenVerifier {
  private key?: Promise<CryptoKey>;
  /** what the cloud revoked (disabled people, tokens given up), persisted */
  readonly revocations: RevocationList;

  constructor(private readonly settings: Settings) {
    this.revocations = new RevocationList(settings);
  }

  /** The pinned key, or undefined before the first accepted `welcome`. */
  get pinned(): Record<string, unknown> | undefined {
    const text = this.settings.get(KEY);
    if (!text) return undefined;
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  /** Pins a key the uplink accepted (first use, or a proven rotation). */
  pin(jwk: Record<string, unknown>): void {
    const text = JSON.stringify(jwk);
    if (this.settings.get(KEY) === text) return;
    this.settings.set(KEY, text);
    this.key = undefined;
  }

  get hasKey(): boolean {
    return this.settings.get(KEY) !== undefined;
  }

  private publicKey(): Promise<CryptoKey> | undefined {
    if (this.key) return this.key;
    const text = this.settings.get(KEY);
    if (!text) return undefined;
    this.key = importPublicKey(JSON.parse(text) as JsonWebKey);
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }

  private async against(
    token: string,
    audience: Audience,
  ): Promise<VerifyResult | { ok: false; error: string; status: 503 }> {
    const key = this.publicKey();
    if (!key) return { ok: false, status: 503, error: 'this edge has not received the cloud signing key yet' };
    let k: CryptoKey;
    try {
      k = await key;
    } catch {
      return { ok: false, status: 503, error: 'cached cloud signing key is unusable' };
    }
    return verifyToken(token, k, { audience });
  }

  /** Checks an edge token (audience `edge-link`) the cloud sent against the pinned key. */
  async check(token: string): Promise<VerifyResult> {
    const r = await this.against(token, 'edge-link');
    return r.ok ? r : { ok: false, error: r.error };
  }

  /** A person's LAN token from `Authorization: Bearer` (or the sync socket's `?token=`). */
  async verify(header: string | undefined, queryToken?: string | null): Promise<VerifyOutcome> {
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : (queryToken ?? undefined);
    if (!token) return { ok: false, status: 401, error: 'missing bearer token' };
    // Threat: a console API token (or an edge's own link token) stolen from elsewhere used on the LAN;
    // only tokens the cloud issued for edges' LAN APIs are taken here.
    const r = await this.against(token, 'edge');
    if (!r.ok) return { ok: false, status: 'status' in r ? r.status : 401, error: r.error };
    if (r.claims.typ === 'access') {
      const revoked = this.revocations.refuses(r.claims);
      if (revoked) return { ok: false, status: 401, error: revoked };
    }
    return { ok: true, principal: principalFromClaims(r.claims) };
  }
}
