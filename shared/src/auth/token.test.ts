import { describe, expect, it } from 'vitest';
import { base64url, CompactSign } from 'jose';
import {
  generateSigningKeys,
  importPublicKey,
  keyId,
  principalFromClaims,
  signToken,
  TOKEN_ISSUER,
  tokenKeyId,
  verifySignature,
  verifyToken,
  type TokenInput,
} from './token';

const now = Date.parse('2026-11-20T00:00:00Z');
const access: TokenInput = {
  typ: 'access',
  sub: 'u1',
  role: 'site-manager',
  tenantId: 'demo',
  siteIds: ['gangnam'],
  iat: now / 1000,
  exp: now / 1000 + 900,
  jti: 'j1',
};
const edge: TokenInput = { typ: 'edge', sub: 'edge:gangnam', tenantId: 'demo', siteId: 'gangnam', iat: now / 1000, exp: now / 1000 + 900, jti: 'e1' };
const enc = (v: unknown) => base64url.encode(JSON.stringify(v));
const dec = (part: string): unknown => JSON.parse(new TextDecoder().decode(base64url.decode(part)));
const parts = (token: string) => token.split('.') as [string, string, string];

describe('signed tokens', () => {
  it('names issuer, audience and key id, and verifies with the exported public key', async () => {
    const keys = await generateSigningKeys();
    const token = await signToken(access, keys.privateKey);
    const pub = await importPublicKey(await crypto.subtle.exportKey('jwk', keys.publicKey));
    const [h, p] = parts(token);
    expect(dec(h)).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: await keyId(keys.publicKey) });
    expect(dec(p)).toMatchObject({ iss: TOKEN_ISSUER, aud: 'api' });
    expect(tokenKeyId(token)).toBe(await keyId(await crypto.subtle.exportKey('jwk', keys.publicKey)));
    const r = await verifyToken(token, pub, { audience: 'api', nowMs: now });
    expect(r.ok).toBe(true);
    if (r.ok) expect(principalFromClaims(r.claims)).toMatchObject({ kind: 'user', role: 'site-manager', siteIds: ['gangnam'] });
  });

  it('refuses a token for another audience: a LAN token at the API, an API token at the edge, an edge token anywhere else', async () => {
    const keys = await generateSigningKeys();
    const lan = await signToken({ ...access, aud: 'edge' }, keys.privateKey);
    const api = await signToken(access, keys.privateKey);
    const link = await signToken(edge, keys.privateKey);
    const refused = { ok: false, error: 'token not meant for this service' };
    expect(await verifyToken(lan, keys.publicKey, { audience: 'api', nowMs: now })).toEqual(refused);
    expect(await verifyToken(api, keys.publicKey, { audience: 'edge', nowMs: now })).toEqual(refused);
    expect(await verifyToken(link, keys.publicKey, { audience: ['api', 'edge'], nowMs: now })).toEqual(refused);
    expect((await verifyToken(lan, keys.publicKey, { audience: 'edge', nowMs: now })).ok).toBe(true);
    expect((await verifyToken(link, keys.publicKey, { audience: 'edge-link', nowMs: now })).ok).toBe(true);
  });

  it('refuses expired, tampered, foreign-key, foreign-issuer, wrong-kid, multi-audience and alg-none tokens', async () => {
    const keys = await generateSigningKeys();
    const other = await generateSigningKeys();
    const token = await signToken(access, keys.privateKey);
    const opts = { audience: 'api' as const, nowMs: now };
    expect(await verifyToken(token, keys.publicKey, { ...opts, nowMs: now + 3600_000 })).toEqual({ ok: false, error: 'token expired' });
    expect(await verifyToken(token, other.publicKey, opts)).toEqual({ ok: false, error: 'bad signature' });
    const [h, p, s] = parts(token);
    const forged = enc({ ...(dec(p) as object), role: 'hq-operator' });
    expect(await verifyToken(`${h}.${forged}.${s}`, keys.publicKey, opts)).toEqual({ ok: false, error: 'bad signature' });
    expect(await verifyToken(`${enc({ alg: 'none' })}.${p}.`, keys.publicKey, opts)).toEqual({ ok: false, error: 'unsupported algorithm' });
    expect((await verifyToken('garbage', keys.publicKey, opts)).ok).toBe(false);
    expect((await verifyToken('a.b.c', keys.publicKey, opts)).ok).toBe(false);

    // Properly signed by the right key, but saying something the verifier must not accept.
    const signRaw = async (header: Record<string, unknown>, payload: Record<string, unknown>) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', ...header }).sign(keys.privateKey);
    const kid = await keyId(keys.publicKey);
    const claims = { ...access, iss: TOKEN_ISSUER, aud: 'api' };
    expect(await verifyToken(await signRaw({ kid }, { ...claims, iss: 'someone-else' }), keys.publicKey, opts)).toEqual({ ok: false, error: 'token of another issuer' });
    expect(await verifyToken(await signRaw({ kid: 'other' }, claims), keys.publicKey, opts)).toEqual({ ok: false, error: 'unknown key id' });
    expect(await verifyToken(await signRaw({}, claims), keys.publicKey, opts)).toEqual({ ok: false, error: 'unknown key id' });
    expect((await verifyToken(await signRaw({ kid }, { ...claims, aud: ['api', 'edge'] }), keys.publicKey, opts)).ok).toBe(false);
    expect((await verifyToken(await signRaw({ kid }, { ...claims, typ: 'edge', aud: 'api' }), keys.publicKey, opts)).ok).toBe(false);
  });

  it('takes an edge token of the old format only where the edge link asks for it, and still checks its signature', async () => {
    const keys = await generateSigningKeys();
    const other = await generateSigningKeys();
    const legacyPayload = { typ: 'edge', sub: 'edge:gangnam', tenantId: 'demo', siteId: 'gangnam', iat: now / 1000, jti: 'old' };
    const legacy = await new CompactSign(new TextEncoder().encode(JSON.stringify(legacyPayload))).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' }).sign(keys.privateKey);
    expect((await verifyToken(legacy, keys.publicKey, { audience: 'edge-link', nowMs: now })).ok).toBe(false);
    expect(await verifyToken(legacy, keys.publicKey, { audience: 'edge-link', nowMs: now, acceptLegacyEdge: true })).toMatchObject({ ok: true, legacy: true, claims: { jti: 'old' } });
    expect((await verifyToken(legacy, other.publicKey, { audience: 'edge-link', nowMs: now, acceptLegacyEdge: true })).ok).toBe(false);
    // An old-format access token is never taken.
    const oldAccess = await new CompactSign(new TextEncoder().encode(JSON.stringify({ ...access }))).setProtectedHeader({ alg: 'EdDSA' }).sign(keys.privateKey);
    expect((await verifyToken(oldAccess, keys.publicKey, { audience: ['api', 'edge-link'], nowMs: now, acceptLegacyEdge: true })).ok).toBe(false);
  });

  it('checks a bare signature for key pinning, whatever the claims', async () => {
    const keys = await generateSigningKeys();
    const other = await generateSigningKeys();
    const expired = await signToken({ ...edge, exp: 1 }, keys.privateKey);
    expect(await verifySignature(expired, keys.publicKey)).toBe(true);
    expect(await verifySignature(expired, other.publicKey)).toBe(false);
    expect(await verifySignature('x.y.z', keys.publicKey)).toBe(false);
  });
});
