import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { siteDocName } from '@cr/shared';
import { startTestCloud, type TestCloud } from '../../testing/test-cloud';

let t: TestCloud;
let admin: string;
let url: string;
beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
  admin = await t.token('admin@demo.local');
});
afterAll(() => t.close());

/**
 * A person replaces a password an admin set at first sign-in: `session` does so (appending `.own`),
 * and `login` then signs in with the password the person chose for that admin-set one.
 */
const chosen = new Map<string, string>();
const login = (email: string, password: string) =>
  t.api('POST', '/api/v1/auth/login', { body: { email, password: chosen.get(`${email}\n${password}`) ?? password } });

async function session(email: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await login(email, password);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { accessToken: string; refreshToken: string; mustChangePassword?: true };
  if (!body.mustChangePassword) return body;
  // Nothing but the password change opens with the first token.
  expect((await t.api('GET', '/api/v1/sites', { token: body.accessToken })).status).toBe(403);
  const own = `${password}.own`;
  const changed = await t.api('POST', '/api/v1/auth/password', { token: body.accessToken, body: { currentPassword: password, newPassword: own } });
  expect(changed.status).toBe(200);
  chosen.set(`${email}\n${password}`, own);
  return (await changed.json()) as { accessToken: string; refreshToken: string };
}

const sitesOf = async (token: string) =>
  ((await (await t.api('GET', '/api/v1/sites', { token })).json()) as Array<{ id: string }>).map((s) => s.id);

const auditActions = async (target: string) =>
  ((await (await t.api('GET', '/api/v1/audit', { token: admin })).json()) as Array<{ action: string; target: string }>)
    .filter((a) => a.target === target)
    .map((a) => a.action)
    .reverse();

describe('user management (tenant-admin)', () => {
  it('creates a scoped user who signs in with the password the admin set', async () => {
    const res = await t.api('POST', '/api/v1/users', {
      token: admin,
      body: {
        email: 'Night.Manager@demo.local',
        name: 'Night Manager',
        role: 'site-manager',
        siteIds: ['hongdae'],
        password: 'night-shift-2024',
      },
    });
    expect(res.status).toBe(201);
    const user = (await res.json()) as { id: string; email: string; disabled: boolean };
    expect(user).toMatchObject({ email: 'night.manager@demo.local', role: 'site-manager', disabled: false });
    expect(JSON.stringify(user)).not.toContain('night-shift-2024');
    expect((await t.cloud.ctx.users.byId(user.id))!.passwordHash).toMatch(/^scrypt\$/);
    const { accessToken } = await session('night.manager@demo.local', 'night-shift-2024');
    expect(await sitesOf(accessToken)).toEqual(['hongdae']);
    const listed = (await (await t.api('GET', '/api/v1/users', { token: admin })).json()) as Array<{ id: string }>;
    expect(listed.map((u) => u.id)).toContain(user.id);
    expect(await auditActions(`user:${user.id}`)).toEqual(['user.create']);
  });

  it('re-scopes a user: tokens issued before the change stop working, a refresh carries the new scope', async () => {
    const { id } = (await (
      await t.api('POST', '/api/v1/users', {
        token: admin,
        body: {
          email: 'rescope@demo.local',
          name: 'Re Scope',
          role: 'site-manager',
          siteIds: ['gangnam'],
          password: 'rescope-pass-1',
        },
      })
    ).json()) as { id: string };
    const before = await session('rescope@demo.local', 'rescope-pass-1');
    const res = await t.api('PATCH', `/api/v1/users/${id}`, {
      token: admin,
      body: { siteIds: ['yeouido', 'hongdae'] },
    });
    expect(await res.json()).toMatchObject({ siteIds: ['yeouido', 'hongdae'] });
    expect((await t.api('GET', '/api/v1/sites', { token: before.accessToken })).status).toBe(401);
    const refreshed = (await (
      await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: before.refreshToken } })
    ).json()) as { accessToken: string };
    expect(await sitesOf(refreshed.accessToken)).toEqual(['hongdae', 'yeouido']);
  });

  it('disables a user: no login, no token, no refresh; sets a password that ends every session', async () => {
    const { id } = (await (
      await t.api('POST', '/api/v1/users', {
        token: admin,
        body: { email: 'leaver@demo.local', name: 'Leaver', role: 'hq-operator', password: 'leaver-pass-12' },
      })
    ).json()) as { id: string };
    const s1 = await session('leaver@demo.local', 'leaver-pass-12');
    expect(
      (await t.api('PUT', `/api/v1/users/${id}/password`, { token: admin, body: { password: 'fresh-pass-123' } }))
        .status,
    ).toBe(204);
    expect((await login('leaver@demo.local', 'leaver-pass-12')).status).toBe(401);
    expect((await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: s1.refreshToken } })).status).toBe(401);
    const s2 = await session('leaver@demo.local', 'fresh-pass-123');

    expect((await t.api('DELETE', `/api/v1/users/${id}`, { token: admin })).status).toBe(204);
    expect((await t.api('GET', '/api/v1/sites', { token: s2.accessToken })).status).toBe(401);
    expect((await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: s2.refreshToken } })).status).toBe(401);
    expect((await login('leaver@demo.local', 'fresh-pass-123')).status).toBe(401);
    expect(await auditActions(`user:${id}`)).toEqual(['user.create', 'user.password.set', 'user.disable']);

    expect((await t.api('PATCH', `/api/v1/users/${id}`, { token: admin, body: { disabled: false } })).status).toBe(200);
    await session('leaver@demo.local', 'fresh-pass-123');
  });

  it.each([
    ['a taken e-mail', { email: 'hq@demo.local', name: 'X', role: 'hq-operator', password: 'long-enough-1' }, 409],
    [
      'a site of no one',
      { email: 'a@demo.local', name: 'X', role: 'site-manager', siteIds: ['acme-hq'], password: 'long-enough-1' },
      400,
    ],
    ['a short password', { email: 'b@demo.local', name: 'X', role: 'vendor', password: 'short' }, 400],
    ['an unknown role', { email: 'c@demo.local', name: 'X', role: 'root', password: 'long-enough-1' }, 400],
    [
      'an unknown field',
      { email: 'd@demo.local', name: 'X', role: 'vendor', password: 'long-enough-1', admin: true },
      400,
    ],
    ['a bad e-mail', { email: 'not-an-email', name: 'X', role: 'vendor', password: 'long-enough-1' }, 400],
  ])('refuses %s', async (_name, body, status) => {
    expect((await t.api('POST', '/api/v1/users', { token: admin, body })).status).toBe(status);
  });

  it('keeps an admin from disabling or demoting their own account', async () => {
    expect((await t.api('DELETE', '/api/v1/users/admin', { token: admin })).status).toBe(409);
    expect((await t.api('PATCH', '/api/v1/users/admin', { token: admin, body: { role: 'vendor' } })).status).toBe(409);
    expect((await t.api('GET', '/api/v1/sites', { token: admin })).status).toBe(200);
  });

  it('describes user and site management in the OpenAPI document', async () => {
    const doc = (await (await t.api('GET', '/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/api/v1/users']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/users/{userId}']!).sort()).toEqual(['delete', 'get', 'patch']);
    expect(doc.paths['/api/v1/users/{userId}/password']).toHaveProperty('put');
    expect(doc.paths['/api/v1/sites']).toHaveProperty('post');
    expect(doc.paths['/api/v1/sites/{siteId}']).toHaveProperty('patch');
  });

  it('closes the live sync connections of a user who is disabled', async () => {
    const { id } = (await (
      await t.api('POST', '/api/v1/users', {
        token: admin,
        body: { email: 'live@demo.local', name: 'Live', role: 'hq-operator', password: 'live-pass-1234' },
      })
    ).json()) as { id: string };
    const { accessToken } = await session('live@demo.local', 'live-pass-1234');
    const syncUrl = `${url.replace(/^http/, 'ws')}/sync/${siteDocName('demo', 'gangnam')}?token=${accessToken}`;
    const ws = new WebSocket(syncUrl);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    expect((await t.api('DELETE', `/api/v1/users/${id}`, { token: admin })).status).toBe(204);
    expect(await closed).toBe(4401);
    const again = new WebSocket(syncUrl);
    expect(await new Promise<number>((resolve) => again.once('close', (code) => resolve(code)))).toBe(4401);
  });
});
