import { describe, expect, it } from 'vitest';
import { generateSigningKeys, importPublicKey, principalFromClaims, signToken, verifyToken, type AccessClaims } from './token';

const now = Date.parse('2026-11-20T00:00:00Z');
const claims: AccessClaims = {
  typ: 'access',
  sub: 'u1',
  role: 'site-manager',
  tenantId: 'demo',
  siteIds: ['gangnam'],
  iat: now / 1000,
  exp: now / 1000 + 900,
  jti: 'j1',
};

describe('signed tokens', () => {
  it('verifies a token with the exported public key and yields the principal', async () => {
    const keys = await generateSigningKeys();
    const token = await signToken(claims, keys.privateKey);
    const pub = await importPublicKey(await crypto.subtle.exportKey('jwk', keys.publicKey));
    const r = await verifyToken(token, pub, now);
    expect(r.ok).toBe(true);
    if (r.ok) expect(principalFromClaims(r.claims)).toMatchObject({ kind: 'user', role: 'site-manager', siteIds: ['gangnam'] });
  });

  it('refuses expired, tampered, foreign-key and alg-none tokens', async () => {
    const keys = await generateSigningKeys();
    const other = await generateSigningKeys();
    const token = await signToken(claims, keys.privateKey);
    expect(await verifyToken(token, keys.publicKey, now + 3600_000)).toEqual({ ok: false, error: 'token expired' });
    expect((await verifyToken(token, other.publicKey, now)).ok).toBe(false);
    const [h, p, s] = token.split('.') as [string, string, string];
    const forged = btoa(JSON.stringify({ ...claims, role: 'hq-operator' })).replace(/=+$/, '');
    expect(await verifyToken(`${h}.${forged}.${s}`, keys.publicKey, now)).toEqual({ ok: false, error: 'bad signature' });
    const none = btoa(JSON.stringify({ alg: 'none' })).replace(/=+$/, '');
    expect(await verifyToken(`${none}.${p}.`, keys.publicKey, now)).toEqual({ ok: false, error: 'unsupported algorithm' });
    expect((await verifyToken('garbage', keys.publicKey, now)).ok).toBe(false);
    expect((await verifyToken('a.b.c', keys.publicKey, now)).ok).toBe(false);
  });
});
