import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJwk, importPublicKey, signToken, verifyKeyRotation, verifyToken, type EdgeClaims } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { TestEdge } from '../testing/edge-client';
import { EDGE_TOKEN_TTL_MS } from '../domain/auth-service';
import { rotateSigningKeys } from '../domain/signing-keys';

let t: TestCloud;
let url: string;
const edges: TestEdge[] = [];
const connect = async (token: string) => {
  const e = await TestEdge.connect(url, token);
  edges.push(e);
  return e;
};
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as EdgeClaims;

beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
});
afterEach(() => {
  for (const e of edges.splice(0)) e.close();
});
afterAll(() => t.close());

describe('edge tokens expire and are renewed over the link', () => {
  it('issues edge tokens with a 30-day expiry', async () => {
    const { token } = await t.cloud.ctx.auth.edgeToken('demo', 'gangnam');
    const c = claimsOf(token);
    expect((c.exp! - c.iat) * 1000).toBeGreaterThanOrEqual(EDGE_TOKEN_TTL_MS - 1_000);
    expect(EDGE_TOKEN_TTL_MS).toBe(30 * 24 * 3600_000);
  });

  it('sends a fresh token past half the life; the old one is refused once expired, the new one works, revoking ends both', async () => {
    const { token: old, jti } = await t.cloud.ctx.auth.edgeToken('demo', 'gangnam', 2_000);
    const edge = await connect(old);
    edge.hello('gangnam');
    await edge.next('welcome');
    const half = (claimsOf(old).iat + (claimsOf(old).exp! - claimsOf(old).iat) / 2) * 1000;
    const renewed = await eventually(
      () => {
        if (Date.now() >= half) edge.heartbeat();
        return edge.received.find((m) => m.type === 'token');
      },
      5_000,
      'renewed token',
    );
    if (renewed.type !== 'token') throw new Error('not a token');
    const fresh = renewed.token;
    expect(claimsOf(fresh)).toMatchObject({ typ: 'edge', siteId: 'gangnam', tenantId: 'demo', jti });
    expect(claimsOf(fresh).exp! - claimsOf(fresh).iat).toBeGreaterThan(29 * 24 * 3600);
    // Only once per token: more heartbeats bring no second one.
    edge.heartbeat();
    await edge.next('time', () => true, 2_000, edge.received.indexOf(renewed) + 1);
    expect(edge.received.filter((m) => m.type === 'token')).toHaveLength(1);

    await eventually(() => Date.now() >= claimsOf(old).exp! * 1000, 5_000, 'old token expired');
    const late = await connect(old);
    expect(await late.whenClosed()).toMatchObject({ code: 4401, reason: 'edge token expired' });
    const next = await connect(fresh);
    next.hello('gangnam');
    await next.next('welcome');
    expect(next.received.some((m) => m.type === 'token')).toBe(false);

    const admin = await t.token('admin@demo.local');
    expect((await t.api('DELETE', `/api/v1/edge-tokens/${jti}`, { token: admin })).status).toBe(204);
    expect((await next.whenClosed()).code).toBe(4401);
    const afterRevoke = await connect(fresh);
    expect(await afterRevoke.whenClosed()).toMatchObject({ code: 4401, reason: 'edge token revoked' });
  });

  it('renews a token without expiry (issued before edge tokens expired) at hello', async () => {
    const { token, jti } = await t.cloud.ctx.auth.edgeToken('demo', 'hongdae');
    const legacy = await signToken({ ...claimsOf(token), exp: undefined }, t.cloud.ctx.keys.privateKey);
    expect(claimsOf(legacy).exp).toBeUndefined();
    const edge = await connect(legacy);
    edge.hello('hongdae');
    const renewed = await edge.next('token');
    expect(claimsOf(renewed.token)).toMatchObject({ jti, exp: expect.any(Number) });
  });
});

describe('signing key rotation', () => {
  it('keeps a proof from the old key, accepts old edge tokens once and renews them with the new key', async () => {
    const oldJwk = t.cloud.ctx.keys.publicJwk as Record<string, unknown>;
    const oldToken = t.cloud.demoEdgeTokens.yeouido!;
    const oldAccess = await t.token('hq@demo.local');
    // What a restart after `rotateSigningKeys` would load, swapped into the running cloud.
    Object.assign(t.cloud.ctx.keys, await rotateSigningKeys(t.dataDir));
    const newJwk = t.cloud.ctx.keys.publicJwk as Record<string, unknown>;
    expect(canonicalJwk(newJwk)).not.toBe(canonicalJwk(oldJwk));

    const edge = await connect(oldToken);
    edge.hello('yeouido');
    const welcome = await edge.next('welcome');
    expect(canonicalJwk(welcome.publicKey)).toBe(canonicalJwk(newJwk));
    expect(canonicalJwk(welcome.keyRotation!.publicKey)).toBe(canonicalJwk(oldJwk));
    expect(await verifyKeyRotation(oldJwk, welcome.publicKey, welcome.keyRotation!.signature)).toBe(true);
    const renewed = await edge.next('token');
    expect((await verifyToken(renewed.token, await importPublicKey(newJwk as JsonWebKey), { audience: 'edge-link' })).ok).toBe(true);
    // People sign in again: an access token of the old key no longer opens the API.
    expect((await t.api('GET', '/api/v1/sites', { token: oldAccess })).status).toBe(401);
  });
});
