import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../auth/token';
import { parseOtaProgress, signFirmwareManifest, verifyFirmwareManifest } from './firmware';

const utf8 = new TextEncoder();
const SEED = 20261207;

describe('ota progress parser', () => {
  it('never throws and accepts only well-formed reports (fuzzed, fixed seed)', () => {
    const anyJson = fc.jsonValue().map((v) => utf8.encode(JSON.stringify(v)));
    const report = fc.record(
      {
        id: fc.string({ minLength: 1, maxLength: 64 }),
        state: fc.constantFrom('downloading', 'installing', 'done', 'failed'),
        progress: fc.double({ min: 0, max: 100, noNaN: true }),
        error: fc.string({ maxLength: 200 }),
      },
      { requiredKeys: ['id', 'state'] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), anyJson), (bytes) => {
        const parsed = parseOtaProgress(bytes);
        if (parsed) expect(['downloading', 'installing', 'done', 'failed']).toContain(parsed.state);
      }),
      { seed: SEED, numRuns: 2_000 },
    );
    fc.assert(
      fc.property(report, (r) => {
        expect(parseOtaProgress(utf8.encode(JSON.stringify(r)))).toEqual(r);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('refuses a wrong state, a progress beyond 100 and unknown fields', () => {
    for (const bad of [{ id: 'r', state: 'exploded' }, { id: 'r', state: 'downloading', progress: 101 }, { id: 'r', state: 'done', extra: 1 }, { state: 'done' }])
      expect(parseOtaProgress(utf8.encode(JSON.stringify(bad)))).toBeUndefined();
  });
});

describe('firmware manifest signature', () => {
  it('verifies with the signer key only, and for the exact manifest', async () => {
    const keys = await generateSigningKeys();
    const other = await generateSigningKeys();
    const jwk = (await crypto.subtle.exportKey('jwk', keys.publicKey)) as Record<string, unknown>;
    const otherJwk = (await crypto.subtle.exportKey('jwk', other.publicKey)) as Record<string, unknown>;
    const m = { rolloutId: 'r1', deviceId: 'env-1', version: '2.0.0', url: 'https://fw.example/a.bin', sha256: 'c'.repeat(64) };
    const sig = await signFirmwareManifest(keys.privateKey, m);
    expect(await verifyFirmwareManifest(jwk, m, sig)).toBe(true);
    expect(await verifyFirmwareManifest(otherJwk, m, sig)).toBe(false);
    expect(await verifyFirmwareManifest(jwk, { ...m, url: 'https://evil.example/a.bin' }, sig)).toBe(false);
    expect(await verifyFirmwareManifest(jwk, { ...m, deviceId: 'env-2' }, sig)).toBe(false);
    expect(await verifyFirmwareManifest(jwk, m, 'not-a-signature')).toBe(false);
  });
});
