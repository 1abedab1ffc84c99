import { describe, expect, it } from 'vitest';
import type { Member } from '../access/permissions';
import { generateSigningKeys } from '../auth/token';
import {
  canonicalJwk,
  cloudToEdgeSchema,
  PERMISSION_CHUNK_BYTES,
  signKeyRotation,
  splitPermissions,
  verifyKeyRotation,
} from './edge-link';
import { MAX_WS_MESSAGE_BYTES } from './limits';

const member = (i: number): Member => ({
  id: `member-${i}`,
  name: `Member number ${i} with a longer name`,
  active: true,
  credentials: [{ type: 'card', value: `card-${i}` }, { type: 'qr', value: `qr-${i}` }],
  grants: [{ zoneIds: ['lobby', 'office', 'lounge', 'meeting'] }],
  secureMode: i % 7 === 0,
  offlineWhitelist: false,
});

const publicJwk = async (keys: CryptoKeyPair) => (await crypto.subtle.exportKey('jwk', keys.publicKey)) as Record<string, unknown>;

describe('permission messages split by bytes', () => {
  it('splits a 20,000-member snapshot into valid messages under the budget that add up to the whole', () => {
    const members = Array.from({ length: 20_000 }, (_, i) => member(i));
    const parts = splitPermissions({ kind: 'snapshot', fromVersion: 0, version: 9, upserts: members, removals: [] });
    expect(parts.length).toBeGreaterThan(3);
    parts.forEach((p, index) => {
      const text = JSON.stringify(p);
      const bytes = new TextEncoder().encode(text).length;
      expect(bytes).toBeLessThan(PERMISSION_CHUNK_BYTES + 1024);
      expect(bytes).toBeLessThan(MAX_WS_MESSAGE_BYTES);
      expect(cloudToEdgeSchema.parse(JSON.parse(text))).toMatchObject({ kind: 'snapshot', version: 9, chunk: { index, count: parts.length } });
    });
    expect(parts.flatMap((p) => p.upserts.map((m) => m.id))).toEqual(members.map((m) => m.id));
  });

  it('keeps a small update in one message without chunk, and splits removals of a large delta too', () => {
    const [one, ...rest] = splitPermissions({ kind: 'delta', fromVersion: 1, version: 2, upserts: [member(1)], removals: ['member-2'] });
    expect(rest).toEqual([]);
    expect(one).toEqual({ type: 'permissions', kind: 'delta', fromVersion: 1, version: 2, upserts: [member(1)], removals: ['member-2'] });
    const removals = Array.from({ length: 300 }, (_, i) => `member-${i}`);
    const parts = splitPermissions({ kind: 'delta', fromVersion: 1, version: 2, upserts: [], removals }, 1_000);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flatMap((p) => p.removals)).toEqual(removals);
    expect(parts.every((p) => p.fromVersion === 1 && p.version === 2 && p.kind === 'delta')).toBe(true);
  });

  it('refuses a chunk index beyond its count', () => {
    const msg = { type: 'permissions', kind: 'snapshot', fromVersion: 0, version: 1, upserts: [], removals: [] };
    expect(cloudToEdgeSchema.safeParse({ ...msg, chunk: { index: 1, count: 2 } }).success).toBe(true);
    expect(cloudToEdgeSchema.safeParse({ ...msg, chunk: { index: 2, count: 2 } }).success).toBe(false);
    expect(cloudToEdgeSchema.safeParse({ ...msg, chunk: { index: 0, count: 0 } }).success).toBe(false);
  });
});

describe('signing key rotation proof', () => {
  it('compares keys by their RFC 7638 members only', async () => {
    const jwk = await publicJwk(await generateSigningKeys());
    const reordered = { x: jwk.x, kty: jwk.kty, crv: jwk.crv, ext: false, key_ops: ['verify'] };
    expect(canonicalJwk(reordered)).toBe(canonicalJwk(jwk));
    expect(canonicalJwk(jwk)).toBe(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x: jwk.x }));
  });

  it.each([
    ['the previous key over the next key', true, 'prev', 'next', 'prev'],
    ['another key (an attacker)', false, 'attacker', 'next', 'prev'],
    ['the previous key over a different key', false, 'prev', 'attacker', 'prev'],
    ['the previous key, checked against another pinned key', false, 'prev', 'next', 'attacker'],
  ] as const)('a proof by %s verifies: %s', async (_name, ok, signer, over, checkedWith) => {
    const keys = { prev: await generateSigningKeys(), next: await generateSigningKeys(), attacker: await generateSigningKeys() };
    const signature = await signKeyRotation(keys[signer].privateKey, await publicJwk(keys[over]));
    expect(await verifyKeyRotation(await publicJwk(keys[checkedWith]), await publicJwk(keys.next), signature)).toBe(ok);
  });

  it('treats malformed proofs and keys as no proof', async () => {
    const next = await publicJwk(await generateSigningKeys());
    expect(await verifyKeyRotation(next, next, '!!not base64!!')).toBe(false);
    expect(await verifyKeyRotation({ kty: 'OKP', crv: 'Ed25519', x: 'short' }, next, 'AAAA')).toBe(false);
  });
});

describe('time, token and command messages', () => {
  it('accepts a heartbeat answer, a token and a command with a time to live', () => {
    expect(cloudToEdgeSchema.safeParse({ type: 'time', serverTime: 5, echo: 3 }).success).toBe(true);
    expect(cloudToEdgeSchema.safeParse({ type: 'token', token: 'a.b.c' }).success).toBe(true);
    expect(cloudToEdgeSchema.safeParse({ type: 'token', token: '' }).success).toBe(false);
    const command = { id: 'c1', siteId: 'gangnam', target: { kind: 'mode', mode: 'lockdown' }, reason: 'r', issuedBy: 'hq', issuerRole: 'hq-operator', issuedAt: 1, expiresAt: 2 };
    expect(cloudToEdgeSchema.safeParse({ type: 'command', command: { ...command, ttlMs: 2_000 } }).success).toBe(true);
    expect(cloudToEdgeSchema.safeParse({ type: 'command', command: { ...command, ttlMs: 0 } }).success).toBe(false);
  });
});
