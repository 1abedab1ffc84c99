import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJwk, signToken, verifyKeyRotation, verifyToken } from '@cr/shared';
import { loadOrCreateSigningKeys, rotateSigningKeys } from './signing-keys';

const edgeClaims = { typ: 'edge' as const, sub: 'edge:a', tenantId: 't', siteId: 'a', iat: 1, jti: 'j' };

describe('signing keys', () => {
  it('keeps the key across loads, and a rotation keeps the proof and the previous public key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const first = await loadOrCreateSigningKeys(dir);
    expect(canonicalJwk((await loadOrCreateSigningKeys(dir)).publicJwk as Record<string, unknown>)).toBe(canonicalJwk(first.publicJwk as Record<string, unknown>));
    expect(first.rotation).toBeUndefined();
    const oldToken = await signToken(edgeClaims, first.privateKey);

    await rotateSigningKeys(dir);
    const rotated = await loadOrCreateSigningKeys(dir);
    expect(statSync(join(dir, 'signing-key.json')).mode & 0o777).toBe(0o600);
    expect(canonicalJwk(rotated.rotation!.publicKey)).toBe(canonicalJwk(first.publicJwk as Record<string, unknown>));
    expect(await verifyKeyRotation(first.publicJwk as Record<string, unknown>, rotated.publicJwk as Record<string, unknown>, rotated.rotation!.signature)).toBe(true);
    expect((await verifyToken(oldToken, rotated.publicKey, { audience: 'edge-link' })).ok).toBe(false);
    expect((await verifyToken(oldToken, rotated.previousPublicKey!, { audience: 'edge-link' })).ok).toBe(true);

    // A second rotation vouches from the second key only; the first is no longer kept at all.
    await rotateSigningKeys(dir);
    const again = await loadOrCreateSigningKeys(dir);
    expect(canonicalJwk(again.rotation!.publicKey)).toBe(canonicalJwk(rotated.publicJwk as Record<string, unknown>));
    expect((await verifyToken(oldToken, again.previousPublicKey!, { audience: 'edge-link' })).ok).toBe(false);
    expect(readFileSync(join(dir, 'signing-key.json'), 'utf8')).not.toContain(String(first.publicJwk.x));
  });
});
