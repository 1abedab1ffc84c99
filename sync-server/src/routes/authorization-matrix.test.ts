import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_USERS, seedOtherTenant, startTestCloud, type TestCloud } from '../testing/test-cloud';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
  await seedOtherTenant(t.cloud);
});
afterAll(() => t.close());

const HQ = 'hq@demo.local';
const MGR = 'gangnam.manager@demo.local';
const VENDOR = 'vendor@demo.local';
const ADMIN = 'admin@demo.local';
const [X_HQ, X_MGR, X_VENDOR, X_ADMIN] = OTHER_USERS.map((u) => u.email) as [string, string, string, string];

const member = {
  active: true,
  credentials: [{ type: 'card', value: 'card-x' }],
  grants: [{ zoneIds: ['lobby'] }],
  secureMode: false,
  offlineWhitelist: false,
};

interface Case {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  /** expected status per caller; callers of the other tenant must never see demo data */
  expect: Record<string, number>;
}

const cases: Case[] = [
  {
    name: 'list sites',
    method: 'GET',
    path: '/api/v1/sites',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 200, [ADMIN]: 200, [X_HQ]: 200 },
  },
  {
    name: 'site detail',
    method: 'GET',
    path: '/api/v1/sites/gangnam',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 200, [ADMIN]: 200, [X_HQ]: 404, [X_ADMIN]: 404, [X_MGR]: 404 },
  },
  {
    name: 'site outside scope',
    method: 'GET',
    path: '/api/v1/sites/hongdae',
    expect: { [HQ]: 200, [MGR]: 403, [VENDOR]: 200, [X_VENDOR]: 404 },
  },
  {
    name: 'events',
    method: 'GET',
    path: '/api/v1/sites/gangnam/events',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 403, [ADMIN]: 200, [X_HQ]: 404, [X_ADMIN]: 404 },
  },
  { name: 'events outside scope', method: 'GET', path: '/api/v1/sites/yeouido/events', expect: { [MGR]: 403 } },
  {
    name: 'door command',
    method: 'POST',
    path: '/api/v1/sites/gangnam/doors/door-lobby/commands',
    body: { action: 'pulse-unlock', reason: 'visitor', durationMs: 3000 },
    expect: { [HQ]: 202, [MGR]: 202, [VENDOR]: 403, [ADMIN]: 403, [X_HQ]: 404, [X_MGR]: 404 },
  },
  {
    name: 'door command outside scope',
    method: 'POST',
    path: '/api/v1/sites/hongdae/doors/door-lobby/commands',
    body: { action: 'unlock', reason: 'x' },
    expect: { [MGR]: 403 },
  },
  {
    name: 'site mode',
    method: 'POST',
    path: '/api/v1/sites/gangnam/mode',
    body: { mode: 'lockdown', reason: 'drill' },
    expect: { [HQ]: 202, [MGR]: 202, [VENDOR]: 403, [ADMIN]: 403, [X_HQ]: 404 },
  },
  {
    name: 'alerts',
    method: 'GET',
    path: '/api/v1/alerts',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 200, [ADMIN]: 200, [X_VENDOR]: 200 },
  },
  {
    name: 'alerts of a site',
    method: 'GET',
    path: '/api/v1/alerts?siteId=gangnam',
    expect: { [HQ]: 200, [VENDOR]: 200, [X_HQ]: 404, [X_VENDOR]: 404 },
  },
  {
    name: 'audit',
    method: 'GET',
    path: '/api/v1/audit',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 403, [ADMIN]: 200, [X_VENDOR]: 403 },
  },
  {
    name: 'audit of a site',
    method: 'GET',
    path: '/api/v1/audit?siteId=gangnam',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 403, [X_HQ]: 404 },
  },
  {
    name: 'members',
    method: 'GET',
    path: '/api/v1/members',
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [ADMIN]: 200, [X_ADMIN]: 200 },
  },
  {
    name: 'one member',
    method: 'GET',
    path: '/api/v1/members/member-0001',
    expect: { [ADMIN]: 200, [HQ]: 403, [X_ADMIN]: 404 },
  },
  {
    name: 'save member',
    method: 'PUT',
    path: '/api/v1/members/member-matrix',
    body: member,
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [ADMIN]: 200 },
  },
  {
    name: 'revoke member',
    method: 'DELETE',
    path: '/api/v1/members/member-0100',
    expect: { [HQ]: 403, [VENDOR]: 403, [X_ADMIN]: 404 },
  },
  {
    name: 'report',
    method: 'POST',
    path: '/api/v1/reports',
    body: { siteId: 'gangnam', period: 'daily', format: 'csv' },
    expect: { [HQ]: 202, [MGR]: 202, [VENDOR]: 403, [ADMIN]: 202, [X_HQ]: 404 },
  },
  {
    name: 'report of all sites',
    method: 'POST',
    path: '/api/v1/reports',
    body: { period: 'daily', format: 'csv' },
    expect: { [VENDOR]: 403, [X_VENDOR]: 403 },
  },
  {
    name: 'demo edge token',
    method: 'GET',
    path: '/api/v1/demo/edge-token/gangnam',
    expect: { [ADMIN]: 200, [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [X_ADMIN]: 404 },
  },
  {
    name: 'issue edge token',
    method: 'POST',
    path: '/api/v1/sites/gangnam/edge-tokens',
    expect: { [ADMIN]: 201, [HQ]: 403, [X_ADMIN]: 404 },
  },
  {
    name: 'list users',
    method: 'GET',
    path: '/api/v1/users',
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [ADMIN]: 200, [X_ADMIN]: 200 },
  },
  { name: 'one user', method: 'GET', path: '/api/v1/users/hq', expect: { [ADMIN]: 200, [HQ]: 403, [X_ADMIN]: 404 } },
  {
    name: 'create user',
    method: 'POST',
    path: '/api/v1/users',
    body: {
      email: 'matrix@demo.local',
      name: 'Matrix',
      role: 'vendor',
      siteIds: ['gangnam'],
      password: 'matrix-pass-12',
    },
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [X_HQ]: 403, [ADMIN]: 201 },
  },
  {
    name: 'scope a user to another tenant’s site',
    method: 'POST',
    path: '/api/v1/users',
    body: {
      email: 'sneaky@acme.test',
      name: 'S',
      role: 'site-manager',
      siteIds: ['gangnam'],
      password: 'matrix-pass-12',
    },
    expect: { [X_ADMIN]: 400 },
  },
  {
    name: 'update user',
    method: 'PATCH',
    path: '/api/v1/users/gangnam.manager',
    body: { name: 'Gangnam Manager' },
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [ADMIN]: 200, [X_ADMIN]: 404 },
  },
  {
    name: 'disable user',
    method: 'DELETE',
    path: '/api/v1/users/hq',
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [X_ADMIN]: 404 },
  },
  {
    name: 'set password',
    method: 'PUT',
    path: '/api/v1/users/hq/password',
    body: { password: 'matrix-pass-12' },
    expect: { [HQ]: 403, [VENDOR]: 403, [X_ADMIN]: 404 },
  },
  {
    name: 'create site (same id in two tenants)',
    method: 'POST',
    path: '/api/v1/sites',
    body: { id: 'matrix-site', name: 'Matrix', lat: 37.5, lng: 127, timezone: 'Asia/Seoul' },
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [X_HQ]: 403, [ADMIN]: 201, [X_ADMIN]: 201 },
  },
  {
    name: 'update site',
    method: 'PATCH',
    path: '/api/v1/sites/gangnam',
    body: { lat: 37.4979 },
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [ADMIN]: 200, [X_ADMIN]: 404 },
  },
  { name: 'no token', method: 'GET', path: '/api/v1/sites/gangnam', expect: { '': 401 } },
];

const rows = cases.flatMap((c) => Object.entries(c.expect).map(([who, status]) => ({ ...c, who, status })));

describe('tenant × role × endpoint', () => {
  it.each(rows)('$name as $who → $status', async ({ method, path, body, who, status }) => {
    const token = who ? await t.token(who) : undefined;
    const res = await t.api(method, path, { token, body });
    expect(res.status).toBe(status);
    if (status >= 400)
      expect(await res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  });

  it('never lists another tenant’s sites, members or alerts', async () => {
    const sites = (await (await t.api('GET', '/api/v1/sites', { token: await t.token(X_HQ) })).json()) as Array<{
      id: string;
    }>;
    // `matrix-site` exists in both tenants (created above by each admin): each sees only its own.
    expect(sites.map((s) => s.id).sort()).toEqual(['acme-hq', 'matrix-site']);
    expect(t.cloud.ctx.tenants.site('demo', 'matrix-site')).toBeDefined();
    const members = (await (await t.api('GET', '/api/v1/members', { token: await t.token(X_ADMIN) })).json()) as {
      members: unknown[];
    };
    expect(members.members).toEqual([]);
    const mine = (await (await t.api('GET', '/api/v1/sites', { token: await t.token(MGR) })).json()) as Array<{
      id: string;
    }>;
    expect(mine.map((s) => s.id)).toEqual(['gangnam']);
  });

  it('hides another tenant’s command ids', async () => {
    const res = await t.api('POST', '/api/v1/sites/gangnam/mode', {
      token: await t.token(HQ),
      body: { mode: 'secure', reason: 'night' },
    });
    const { id } = (await res.json()) as { id: string };
    expect((await t.api('GET', `/api/v1/commands/${id}`, { token: await t.token(HQ) })).status).toBe(200);
    expect((await t.api('GET', `/api/v1/commands/${id}`, { token: await t.token(X_HQ) })).status).toBe(404);
    expect((await t.api('GET', `/api/v1/commands/${id}`, { token: await t.token(VENDOR) })).status).toBe(404);
  });
});
