import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, importPublicKey, verifyToken } from '@cr/shared';
import { startTestCloud, type TestCloud } from '../../testing/test-cloud';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud({ tuning: { loginMaxFailures: 3 } });
});
afterAll(() => t.close());

const login = (email: string, password = DEMO_PASSWORD) =>
  t.api('POST', '/api/v1/auth/login', { body: { email, password } });

describe('login, refresh and logout', () => {
  it('signs a demo user in with an Ed25519 token the public key verifies', async () => {
    const res = await login('HQ@demo.local');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accessToken: string; refreshToken: string; user: Record<string, unknown> };
    expect(body.user).toMatchObject({ id: 'hq', role: 'hq-operator', tenantId: 'demo', siteIds: [] });
    const { jwk } = (await (await t.api('GET', '/api/v1/auth/public-key')).json()) as { jwk: JsonWebKey };
    const verified = await verifyToken(body.accessToken, await importPublicKey(jwk));
    expect(verified.ok && verified.claims.typ === 'access' && verified.claims.exp - verified.claims.iat).toBe(15 * 60);
    const me = await t.api('GET', '/api/v1/me', { token: body.accessToken });
    expect(await me.json()).toMatchObject({ email: 'hq@demo.local', role: 'hq-operator' });
  });

  it('refuses a wrong password with 401 and audits the attempt', async () => {
    expect((await login('gangnam.manager@demo.local', 'wrong-password')).status).toBe(401);
    expect((await login('nobody@demo.local')).status).toBe(401);
    const audit = (await (
      await t.api('GET', '/api/v1/audit', { token: await t.token('admin@demo.local') })
    ).json()) as Array<{ action: string; result: string; actor: string }>;
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'auth.login', result: 'denied', actor: 'gangnam.manager@demo.local' }),
    );
  });

  it('rotates refresh tokens once each and revokes the family when one is replayed', async () => {
    const first = (await (await login('hq@demo.local')).json()) as { refreshToken: string };
    const r1 = await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(r1.status).toBe(200);
    const second = (await r1.json()) as { refreshToken: string; accessToken: string };
    expect(second.refreshToken).not.toBe(first.refreshToken);
    // Replaying the used token (theft) kills the whole session, including the new token.
    expect((await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } })).status).toBe(
      401,
    );
    expect((await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: second.refreshToken } })).status).toBe(
      401,
    );
  });

  it('logout revokes the refresh token', async () => {
    const s = (await (await login('hq@demo.local')).json()) as { refreshToken: string };
    expect((await t.api('POST', '/api/v1/auth/logout', { body: { refreshToken: s.refreshToken } })).status).toBe(204);
    expect((await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(401);
  });

  it('rate-limits failed logins per account, not for other accounts', async () => {
    for (let i = 0; i < 3; i++) expect((await login('vendor@demo.local', 'guess-' + i)).status).toBe(401);
    const limited = await login('vendor@demo.local');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await login('admin@demo.local')).status).toBe(200);
  });

  it('issues 12 h LAN tokens only to roles that act on sites', async () => {
    const ok = await t.api('POST', '/api/v1/auth/lan-token', { token: await t.token('gangnam.manager@demo.local') });
    expect(ok.status).toBe(200);
    const { expiresAt } = (await ok.json()) as { expiresAt: number };
    expect(expiresAt - Date.now()).toBeGreaterThan(11 * 3600_000);
    expect((await t.api('POST', '/api/v1/auth/lan-token', { token: await t.token('admin@demo.local') })).status).toBe(
      403,
    );
  });

  it('refuses edge tokens and missing tokens on the console API', async () => {
    const edge = t.cloud.demoEdgeTokens.gangnam!;
    expect((await t.api('GET', '/api/v1/sites', { token: edge })).status).toBe(401);
    expect((await t.api('GET', '/api/v1/sites')).status).toBe(401);
  });
});
