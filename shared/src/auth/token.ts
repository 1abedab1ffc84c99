import { z } from 'zod';
import { idSchema } from '../ids';
import { roleSchema, type Principal } from './roles';

/**
 * Signed tokens: compact JWS with EdDSA (Ed25519) through WebCrypto, so the same code runs in the
 * cloud (signing), at the edge (verifying offline with the cached public key) and in a browser.
 */
const ALG = { name: 'Ed25519' } as const;
const HEADER = { alg: 'EdDSA', typ: 'JWT' } as const;

export const accessClaimsSchema = z.object({
  typ: z.literal('access'),
  sub: z.string().min(1).max(64),
  role: roleSchema,
  tenantId: idSchema,
  siteIds: z.array(idSchema),
  name: z.string().max(200).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string().max(64),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;

export const edgeClaimsSchema = z.object({
  typ: z.literal('edge'),
  sub: z.string().max(100),
  tenantId: idSchema,
  siteId: idSchema,
  iat: z.number().int(),
  exp: z.number().int().optional(),
  /** revocable: the cloud keeps the list of valid token ids */
  jti: z.string().max(64),
});
export type EdgeClaims = z.infer<typeof edgeClaimsSchema>;

export const tokenClaimsSchema = z.discriminatedUnion('typ', [accessClaimsSchema, edgeClaimsSchema]);
export type TokenClaims = z.infer<typeof tokenClaimsSchema>;

const enc = new TextEncoder();
const dec = new TextDecoder();

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromB64url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function generateSigningKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function importPublicKey(jwk: JsonWebKey): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', jwk, ALG, true, ['verify']);
}

export async function importPrivateKey(jwk: JsonWebKey): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', jwk, ALG, true, ['sign']);
}

export async function signToken(claims: TokenClaims, privateKey: CryptoKey): Promise<string> {
  const body = `${b64url(enc.encode(JSON.stringify(HEADER)))}.${b64url(enc.encode(JSON.stringify(claims)))}`;
  const sig = new Uint8Array(await crypto.subtle.sign(ALG, privateKey, enc.encode(body)));
  return `${body}.${b64url(sig)}`;
}

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; error: string };

/** Verifies signature, algorithm, shape and expiry (seconds, with `skewSec` tolerance). */
export async function verifyToken(token: string, publicKey: CryptoKey, nowMs = Date.now(), skewSec = 30): Promise<VerifyResult> {
  const parts = token.split('.');
  if (parts.length !== 3 || token.length > 8192) return { ok: false, error: 'malformed token' };
  const [h, p, s] = parts as [string, string, string];
  try {
    // Threat: "alg: none" or HMAC-with-public-key confusion; only EdDSA is ever accepted.
    const header = JSON.parse(dec.decode(fromB64url(h))) as { alg?: unknown };
    if (header.alg !== HEADER.alg) return { ok: false, error: 'unsupported algorithm' };
    const valid = await crypto.subtle.verify(ALG, publicKey, fromB64url(s), enc.encode(`${h}.${p}`));
    if (!valid) return { ok: false, error: 'bad signature' };
    const claims = tokenClaimsSchema.safeParse(JSON.parse(dec.decode(fromB64url(p))));
    if (!claims.success) return { ok: false, error: 'unexpected claims' };
    const exp = claims.data.exp;
    if (exp !== undefined && nowMs / 1000 > exp + skewSec) return { ok: false, error: 'token expired' };
    return { ok: true, claims: claims.data };
  } catch {
    return { ok: false, error: 'malformed token' };
  }
}

/** The principal a verified token speaks for. */
export function principalFromClaims(claims: TokenClaims): Principal {
  if (claims.typ === 'edge') return { kind: 'edge', tenantId: claims.tenantId, siteId: claims.siteId };
  return { kind: 'user', userId: claims.sub, role: claims.role, tenantId: claims.tenantId, siteIds: claims.siteIds, name: claims.name };
}
