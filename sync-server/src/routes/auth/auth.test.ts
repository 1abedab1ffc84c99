import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, importPublicKey, siteDocName, TOKEN_ISSUER, verifyToken } from '@cr/shared';
import WebSocket from 'ws';
import { startTestCloud, type TestCloud } from '../../testing/test-cloud';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud({ tuning: { loginLimits: { pairFree: 3 } } });
  url = (await t.cloud.listen(0)).url;
});
let url: string;
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
    const verified = await verifyToken(body.accessToken, await importPublicKey(jwk), { audience: 'api' });
    if (!verified.ok || verified.claims.typ !== 'access') throw new Error('not an access token');
    expect(verified.claims).toMatchObject({ iss: TOKEN_ISSUER, aud: 'api' });
    expect(verified.claims.exp - verified.claims.iat).toBeGreaterThan(15 * 60 - 1);
    expect(verified.claims.exp - verified.claims.iat).toBeLessThanOrEqual(15 * 60);
    const me = await t.api('GET', '/api/v1/me', { token: body.accessToken });
    expect(await me.json()).toMatchObject({ email: 'hq@demo.local', role: 'hq-operator' });
  });

  it('refuses a wrong password with 401 and audits the attempt under the account id, name beside it', async () => {
    expect((await login('gangnam.manager@demo.local', 'wrong-password')).status).toBe(401);
    expect((await login('nobody@demo.local')).status).toBe(401);
    const audit = (await (
      await t.api('GET', '/api/v1/audit', { token: await t.token('admin@demo.local') })
    ).json()) as Array<{ action: string; result: string; actor: string }>;
    const manager = (await t.cloud.ctx.users.byEmail('gangnam.manager@demo.local'))!;
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'auth.login',
        result: 'denied',
        actor: manager.id,
        details: expect.objectContaining({ actorName: manager.name }),
      }),
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

  it('logout with the LAN token puts it on the revocation list the edges get', async () => {
    const s = (await (await login('gangnam.manager@demo.local')).json()) as {
      refreshToken: string;
      accessToken: string;
    };
    const lan = (await (await t.api('POST', '/api/v1/auth/lan-token', { token: s.accessToken })).json()) as {
      token: string;
    };
    const jti = (JSON.parse(Buffer.from(lan.token.split('.')[1]!, 'base64url').toString()) as { jti: string }).jti;
    const body = { refreshToken: s.refreshToken, lanToken: lan.token };
    expect((await t.api('POST', '/api/v1/auth/logout', { body })).status).toBe(204);
    expect((await t.cloud.ctx.auth.revocationList('demo')).tokens.map((r) => r.jti)).toContain(jti);
  });

  it('throttles failed logins of an account from one address, and not the same account elsewhere', async () => {
    for (let i = 0; i < 3; i++) expect((await login('vendor@demo.local', 'guess-' + i)).status).toBe(401);
    const limited = await login('vendor@demo.local');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await login('admin@demo.local')).status).toBe(200);
  });

  it("issues LAN tokens of at most 2 h, for edges only, naming the holder's sites, only to roles that act on sites", async () => {
    const manager = await t.token('gangnam.manager@demo.local');
    const ok = await t.api('POST', '/api/v1/auth/lan-token', { token: manager });
    expect(ok.status).toBe(200);
    const { token, expiresAt } = (await ok.json()) as { token: string; expiresAt: number };
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(2 * 3600_000);
    expect(expiresAt - Date.now()).toBeGreaterThan(3600_000);
    const { jwk } = (await (await t.api('GET', '/api/v1/auth/public-key')).json()) as { jwk: JsonWebKey };
    const verified = await verifyToken(token, await importPublicKey(jwk), { audience: 'edge' });
    expect(verified.ok && verified.claims).toMatchObject({
      aud: 'edge',
      siteIds: ['gangnam'],
      sub: (await t.cloud.ctx.users.byEmail('gangnam.manager@demo.local'))!.id,
    });
    expect((await t.api('POST', '/api/v1/auth/lan-token', { token: await t.token('admin@demo.local') })).status).toBe(
      403,
    );
  });

  it('refuses a LAN token on the cloud API and its document sync: no data', async () => {
    const { token } = (await (
      await t.api('POST', '/api/v1/auth/lan-token', { token: await t.token('hq@demo.local') })
    ).json()) as { token: string };
    const sites = await t.api('GET', '/api/v1/sites', { token });
    expect(sites.status).toBe(401);
    expect(await sites.json()).toEqual({ error: 'unauthorized', message: 'token not meant for this service' });
    expect((await t.api('POST', '/api/v1/auth/lan-token', { token })).status).toBe(401);
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/sync/${siteDocName('demo', 'gangnam')}?token=${token}`);
    let frames = 0;
    ws.on('message', () => frames++);
    expect(await new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))).toBe(4401);
    expect(frames).toBe(0);
  });

  it('refuses edge tokens and missing tokens on the console API', async () => {
    const edge = t.cloud.demoEdgeTokens.gangnam!;
    expect((await t.api('GET', '/api/v1/sites', { token: edge })).status).toBe(401);
    expect((await t.api('GET', '/api/v1/sites')).status).toBe(401);
  });
});
