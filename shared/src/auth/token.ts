import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { idSchema } from '../ids';
import { roleSchema, type Principal } from './roles';

/**
 * Signed tokens: JWTs (EdDSA over Ed25519, WebCrypto keys) made and checked with `jose`, so the
 * same code runs in the cloud (signing, verifying), at the edge (verifying offline with the pinned
 * public key) and in a browser. Every token names its issuer (`iss`), what it is for (`aud`) and
 * the key that signed it (`kid`, the key's RFC 7638 thumbprint); verification checks all three.
 */
const ALG = { name: 'Ed25519' } as const;
const JWS_ALG = 'EdDSA';

/** The `iss` of every token the cloud signs. */
export const TOKEN_ISSUER = 'control-room-cloud';

/**
 * What a token is for. `api`: the console's access token for the cloud API and sync; `edge`: a LAN
 * token for a site edge's local API while the internet is down; `edge-link`: a gateway's own token
 * for its link to the cloud.
 */
export const AUDIENCES = ['api', 'edge', 'edge-link'] as const;
export const audienceSchema = z.enum(AUDIENCES);
export type Audience = z.infer<typeof audienceSchema>;

/** A restricted access token that may only change the password (an admin-set password must be replaced). */
export const PASSWORD_CHANGE_SCOPE = 'password-change';

export const accessClaimsSchema = z.object({
  typ: z.literal('access'),
  iss: z.literal(TOKEN_ISSUER),
  aud: z.enum(['api', 'edge']),
  sub: z.string().min(1).max(64),
  role: roleSchema,
  tenantId: idSchema,
  siteIds: z.array(idSchema),
  name: z.string().max(200).optional(),
  /** only `POST /api/v1/auth/password` accepts a token with this scope */
  scope: z.literal(PASSWORD_CHANGE_SCOPE).optional(),
  /** to the millisecond (fractional seconds), so a revocation "before t" is exact */
  iat: z.number().nonnegative(),
  exp: z.number().int(),
  jti: z.string().max(64),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;

export const edgeClaimsSchema = z.object({
  typ: z.literal('edge'),
  /**
   * Absent only in tokens issued before tokens named issuer and audience (still on gateways' command
   * lines): verifyToken requires both, except where the edge link accepts such a token once to renew it.
   */
  iss: z.literal(TOKEN_ISSUER).optional(),
  aud: z.literal('edge-link').optional(),
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

type WithoutIssuer<T> = T extends { aud?: infer A } ? Omit<T, 'iss' | 'aud'> & { aud?: Exclude<A, undefined> } : never;
/** Claims to sign: the issuer is added, and `aud` defaults by `typ` (access → `api`, edge → `edge-link`). */
export type TokenInput = WithoutIssuer<TokenClaims>;

export async function generateSigningKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function importPublicKey(jwk: JsonWebKey): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', jwk, ALG, true, ['verify']);
}

export async function importPrivateKey(jwk: JsonWebKey): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', jwk, ALG, true, ['sign']);
}

const keyIds = new WeakMap<CryptoKey, Promise<string>>();

/** The key id (`kid`) of a key or its JWK: the RFC 7638 thumbprint of its public part. */
export function keyId(key: CryptoKey | JsonWebKey): Promise<string> {
  const thumb = (jwk: JsonWebKey) => calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, 'sha256');
  if (!(key instanceof CryptoKey)) return thumb(key);
  let id = keyIds.get(key);
  if (!id) {
    id = crypto.subtle.exportKey('jwk', key).then(thumb);
    keyIds.set(key, id);
  }
  return id;
}

/** The `kid` a token names, read without verifying anything (to pick the key to verify with). */
export function tokenKeyId(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).kid;
  } catch {
    return undefined;
  }
}

export async function signToken(input: TokenInput, privateKey: CryptoKey): Promise<string> {
  const aud = input.aud ?? (input.typ === 'edge' ? 'edge-link' : 'api');
  const claims = { ...input, iss: TOKEN_ISSUER, aud };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: JWS_ALG, typ: 'JWT', kid: await keyId(privateKey) })
    .sign(privateKey);
}

export type VerifyResult =
  | { ok: true; claims: TokenClaims; /** an edge token without issuer and audience (see `acceptLegacyEdge`) */ legacy?: true }
  | { ok: false; error: string };

export interface VerifyOptions {
  /** what the token must be for; a token for anything else is refused */
  audience: Audience | readonly Audience[];
  nowMs?: number;
  /** tolerance for `exp`, seconds */
  skewSec?: number;
  /** accept an edge token signed before tokens carried `iss`/`aud`/`kid` (the cloud's edge link renews it at once) */
  acceptLegacyEdge?: boolean;
}

const MAX_TOKEN_CHARS = 8192;

function refusal(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'token not meant for this service';
    if (err.claim === 'iss') return 'token of another issuer';
    return 'unexpected claims';
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return 'unsupported algorithm';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  return 'malformed token';
}

function legacyEdge(err: unknown, nowMs: number, skewSec: number): VerifyResult | undefined {
  // jose authenticates the token before it validates claims, so the payload here is signed.
  if (!(err instanceof errors.JWTClaimValidationFailed) || err.reason !== 'missing') return undefined;
  const p = err.payload;
  if (p.iss !== undefined || p.aud !== undefined) return undefined;
  const legacy = edgeClaimsSchema.safeParse(p);
  if (!legacy.success) return undefined;
  if (legacy.data.exp !== undefined && nowMs / 1000 > legacy.data.exp + skewSec) return { ok: false, error: 'token expired' };
  return { ok: true, claims: { ...legacy.data, iss: TOKEN_ISSUER, aud: 'edge-link' }, legacy: true };
}

/** Verifies signature, algorithm, key id, issuer, audience, shape and expiry. */
export async function verifyToken(token: string, publicKey: CryptoKey, opts: VerifyOptions): Promise<VerifyResult> {
  if (token.length > MAX_TOKEN_CHARS) return { ok: false, error: 'malformed token' };
  const nowMs = opts.nowMs ?? Date.now();
  const skewSec = opts.skewSec ?? 30;
  const audience = typeof opts.audience === 'string' ? [opts.audience] : [...opts.audience];
  try {
    // Threat: "alg: none" or HMAC-with-public-key confusion; only EdDSA is ever accepted.
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
      algorithms: [JWS_ALG],
      issuer: TOKEN_ISSUER,
      audience,
      currentDate: new Date(nowMs),
      clockTolerance: skewSec,
    });
    if (protectedHeader.kid !== (await keyId(publicKey))) return { ok: false, error: 'unknown key id' };
    const claims = tokenClaimsSchema.safeParse(payload);
    if (!claims.success) return { ok: false, error: 'unexpected claims' };
    // Threat: a token with several audiences (or a typ that contradicts it) meaning two things at once.
    if (typeof payload.aud !== 'string') return { ok: false, error: 'unexpected claims' };
    return { ok: true, claims: claims.data };
  } catch (err) {
    if (opts.acceptLegacyEdge && audience.includes('edge-link')) {
      const legacy = legacyEdge(err, nowMs, skewSec);
      if (legacy) return legacy;
    }
    return { ok: false, error: refusal(err) };
  }
}

/**
 * Whether `publicKey` signed `token` (EdDSA only), nothing else: what key pinning asks of the
 * edge's own token, whose expiry and audience are not the question there.
 */
export async function verifySignature(token: string, publicKey: CryptoKey): Promise<boolean> {
  if (token.length > MAX_TOKEN_CHARS) return false;
  try {
    await compactVerify(token, publicKey, { algorithms: [JWS_ALG] });
    return true;
  } catch {
    return false;
  }
}

/** The principal a verified token speaks for. */
export function principalFromClaims(claims: TokenClaims): Principal {
  if (claims.typ === 'edge') return { kind: 'edge', tenantId: claims.tenantId, siteId: claims.siteId };
  return { kind: 'user', userId: claims.sub, role: claims.role, tenantId: claims.tenantId, siteIds: claims.siteIds, name: claims.name };
}
