import { importPublicKey, principalFromClaims, verifyToken, type Principal, type VerifyResult } from '@cr/shared';
import type { Settings } from '../store/db';

const KEY = 'cloud.publicKey';

export type VerifyOutcome = { ok: true; principal: Principal } | { ok: false; status: 401 | 503; error: string };

/**
 * Verifies cloud-issued tokens offline with the cloud's public key, pinned in SQLite the first time
 * the cloud presented it (uplink/key-pin.ts decides when a different key may replace it), so a branch
 * manager's LAN token works while the internet is down.
 */
export class TokenVerifier {
  private key?: Promise<CryptoKey>;

  constructor(private readonly settings: Settings) {}

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

  /** Checks any token (also an edge token) against the pinned key. */
  async check(token: string): Promise<VerifyResult> {
    const key = this.publicKey();
    if (!key) return { ok: false, error: 'no pinned cloud key' };
    try {
      return await verifyToken(token, await key);
    } catch {
      return { ok: false, error: 'pinned cloud key is unusable' };
    }
  }

  async verify(header: string | undefined, queryToken?: string | null): Promise<VerifyOutcome> {
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : (queryToken ?? undefined);
    if (!token) return { ok: false, status: 401, error: 'missing bearer token' };
    const key = this.publicKey();
    if (!key) return { ok: false, status: 503, error: 'this edge has not received the cloud signing key yet' };
    let k: CryptoKey;
    try {
      k = await key;
    } catch {
      return { ok: false, status: 503, error: 'cached cloud signing key is unusable' };
    }
    const r = await verifyToken(token, k);
    if (!r.ok) return { ok: false, status: 401, error: r.error };
    return { ok: true, principal: principalFromClaims(r.claims) };
  }
}
