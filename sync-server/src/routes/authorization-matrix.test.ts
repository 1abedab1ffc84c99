import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { FACILITY_KINDS, siteDocName, tenantDocName, vendorDocName } from '@cr/shared';
import { OTHER_USERS, eventually, seedOtherTenant, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { closeCodeOf, connectProvider, whenSynced } from '../testing/sync-clients';

let t: TestCloud;
let url: string;
/** Report jobs made before the matrix runs: `{job:hq}` (HQ, Gangnam), `{job:x}` (the other tenant's HQ). */
const jobs: Record<string, string> = {};
beforeAll(async () => {
  t = await startTestCloud();
  await seedOtherTenant(t.cloud);
  url = (await t.cloud.listen(0)).url;
  for (const [key, who, body] of [
    ['hq', 'hq@demo.local', { siteId: 'gangnam', period: 'daily', format: 'csv' }],
    ['x', 'hq@acme.test', { siteId: 'acme-hq', period: 'daily', format: 'csv' }],
  ] as const) {
    const token = await t.token(who);
    const { id } = (await (await t.api('POST', '/api/v1/reports', { token, body })).json()) as { id: string };
    jobs[key] = id;
    await eventually(async () => {
      const job = (await (await t.api('GET', `/api/v1/reports/${id}`, { token })).json()) as { status: string };
      return job.status === 'done';
    }, 10_000, `report ${key} done`);
  }
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
  /** what a successful answer may hold, beyond the invariants every answer is checked for */
  check?: (who: string, body: unknown) => void;
}

const DEMO_SITES = /gangnam|hongdae|yeouido/;
/** What a vendor's answer must never hold: the site's mode or fire state, security devices, other categories. */
const VENDOR_LEAKS = /"mode"|fireActive|emergency|lockdown|door|reader|camera|kiosk|"category":"(security|safety|system)"/;
const siteIdsOf = (body: unknown): string[] =>
  (body as Array<{ id?: string; siteId?: string }>).map((x) => x.siteId ?? x.id ?? '');

/** Booking slots far enough ahead to be free, one per caller that may book. */
const slotAt = (days: number) => {
  const start = Math.floor((Date.now() + days * 86_400_000) / 60_000) * 60_000;
  return { resourceId: 'meeting-room', memberId: 'member-0001', start, end: start + 3_600_000 };
};

const cases: Case[] = [
  {
    name: 'bookable resources',
    method: 'GET',
    path: '/api/v1/sites/gangnam/resources',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 403, [ADMIN]: 200, [X_HQ]: 404, [X_ADMIN]: 404 },
  },
  { name: 'book as HQ', method: 'POST', path: '/api/v1/sites/gangnam/bookings', body: slotAt(20), expect: { [HQ]: 201, [VENDOR]: 403, [X_HQ]: 404, [X_ADMIN]: 404 } },
  { name: 'book as manager', method: 'POST', path: '/api/v1/sites/gangnam/bookings', body: slotAt(21), expect: { [MGR]: 201 } },
  { name: 'book as admin', method: 'POST', path: '/api/v1/sites/gangnam/bookings', body: slotAt(22), expect: { [ADMIN]: 201 } },
  { name: 'book outside scope', method: 'POST', path: '/api/v1/sites/hongdae/bookings', body: slotAt(23), expect: { [MGR]: 403, [VENDOR]: 403 } },
  {
    name: 'bookings of a site',
    method: 'GET',
    path: '/api/v1/sites/gangnam/bookings',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 403, [ADMIN]: 200, [X_HQ]: 404 },
  },
  {
    name: 'save a resource',
    method: 'PUT',
    path: '/api/v1/sites/gangnam/resources/matrix-booth',
    body: { kind: 'phone-booth', name: 'Matrix booth', zoneId: 'lounge', capacity: 1 },
    expect: { [HQ]: 403, [MGR]: 200, [VENDOR]: 403, [ADMIN]: 200, [X_ADMIN]: 404, [X_MGR]: 404 },
  },
  {
    name: 'booking report',
    method: 'GET',
    path: '/api/v1/sites/gangnam/booking-report',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 403, [ADMIN]: 200, [X_HQ]: 404 },
  },
  {
    name: 'usage records',
    method: 'GET',
    path: '/api/v1/usage',
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [ADMIN]: 200, [X_ADMIN]: 200, [X_HQ]: 403 },
  },
  {
    name: 'list sites',
    method: 'GET',
    path: '/api/v1/sites',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 200, [ADMIN]: 200, [X_HQ]: 200 },
    check: (who, body) => {
      if (who === MGR) expect(siteIdsOf(body)).toEqual(['gangnam']);
      if (who === VENDOR) expect(siteIdsOf(body).sort()).toEqual(['gangnam', 'hongdae', 'yeouido']);
      if (who === HQ) expect((body as Array<{ mode?: string }>).every((s) => s.mode !== undefined)).toBe(true);
    },
  },
  {
    name: 'site detail',
    method: 'GET',
    path: '/api/v1/sites/gangnam',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 200, [ADMIN]: 200, [X_HQ]: 404, [X_ADMIN]: 404, [X_MGR]: 404 },
    check: (who, body) => {
      const devices = (body as { devices: Array<{ kind: string }> }).devices;
      if (who === VENDOR) expect(devices.every((d) => FACILITY_KINDS.has(d.kind as never))).toBe(true);
      else expect(devices.some((d) => d.kind === 'door')).toBe(true);
    },
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
    check: (who, body) => {
      if (who === MGR) expect(siteIdsOf(body).every((id) => id === 'gangnam')).toBe(true);
    },
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
    check: (who, body) => {
      expect((body as unknown[]).length).toBeGreaterThan(0);
      if (who === MGR) expect(siteIdsOf(body).every((id) => id === 'gangnam')).toBe(true);
    },
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
  {
    name: 'notification channels',
    method: 'GET',
    path: '/api/v1/notifications/channels',
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [ADMIN]: 200, [X_ADMIN]: 200 },
  },
  {
    name: 'add a notification channel',
    method: 'POST',
    path: '/api/v1/notifications/channels',
    body: { kind: 'webhook', url: 'https://hooks.example/matrix', secret: 'matrix-secret' },
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [ADMIN]: 201, [X_ADMIN]: 201 },
  },
  {
    name: 'routing rules',
    method: 'GET',
    path: '/api/v1/notifications/rules',
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [ADMIN]: 200, [X_ADMIN]: 200 },
  },
  {
    name: 'a rule to an unknown channel',
    method: 'POST',
    path: '/api/v1/notifications/rules',
    body: { channelId: 'no-such-channel' },
    expect: { [HQ]: 403, [VENDOR]: 403, [ADMIN]: 404 },
  },
  {
    name: 'dead letters',
    method: 'GET',
    path: '/api/v1/notifications/dead-letters',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 403, [ADMIN]: 200, [X_HQ]: 200, [X_VENDOR]: 403 },
  },
  {
    name: 'delivery log of an alert',
    method: 'GET',
    path: '/api/v1/alerts/gangnam.door-lobby.door.forced.1/deliveries',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 403, [ADMIN]: 200, [X_HQ]: 200 },
  },
  {
    name: 'retry a dead letter',
    method: 'POST',
    path: '/api/v1/notifications/dead-letters/no-such-letter/retry',
    expect: { [HQ]: 403, [MGR]: 403, [VENDOR]: 403, [ADMIN]: 404, [X_ADMIN]: 404 },
  },
  {
    name: 'report jobs',
    method: 'GET',
    path: '/api/v1/reports',
    expect: { [HQ]: 200, [MGR]: 200, [ADMIN]: 200, [VENDOR]: 403, [X_HQ]: 200, [X_VENDOR]: 403 },
    check: (who, body) => {
      const ids = (body as Array<{ id: string }>).map((j) => j.id);
      expect(ids.includes(jobs.hq!)).toBe(!who.endsWith('.test'));
      expect(ids.includes(jobs.x!)).toBe(who.endsWith('.test'));
    },
  },
  {
    name: 'a report job',
    method: 'GET',
    path: '/api/v1/reports/{job:hq}',
    expect: { [HQ]: 200, [MGR]: 200, [ADMIN]: 200, [VENDOR]: 404, [X_HQ]: 404, [X_ADMIN]: 404 },
    check: (_who, body) => expect(body).toMatchObject({ id: jobs.hq, siteId: 'gangnam' }),
  },
  {
    name: 'a report’s content',
    method: 'GET',
    path: '/api/v1/reports/{job:hq}/download',
    expect: { [HQ]: 200, [MGR]: 200, [VENDOR]: 404, [X_HQ]: 404, [X_MGR]: 404 },
  },
  {
    name: 'another tenant’s report',
    method: 'GET',
    path: '/api/v1/reports/{job:x}/download',
    expect: { [HQ]: 404, [ADMIN]: 404, [X_HQ]: 200, [X_VENDOR]: 404 },
    check: (_who, body) => expect(String(body)).not.toMatch(DEMO_SITES),
  },
];

const rows = cases.flatMap((c) => Object.entries(c.expect).map(([who, status]) => ({ ...c, who, status })));

describe('tenant × role × endpoint', () => {
  it.each(rows)('$name as $who → $status', async ({ method, path, body, who, status, check }) => {
    const token = who ? await t.token(who) : undefined;
    const res = await t.api(method, path.replace(/\{job:(\w+)\}/, (_m, k: string) => jobs[k]!), { token, body });
    expect(res.status).toBe(status);
    if (status >= 400) return expect(await res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    const text = await res.text();
    const json: unknown = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    // Every answer, not only its status: nothing of another tenant, nothing beyond a vendor's share.
    if (who.endsWith('.test')) expect(text).not.toMatch(DEMO_SITES);
    if (who === VENDOR || who === X_VENDOR) expect(text).not.toMatch(VENDOR_LEAKS);
    check?.(who, json);
  });

  it('never lists another tenant’s sites, members or alerts', async () => {
    const sites = (await (await t.api('GET', '/api/v1/sites', { token: await t.token(X_HQ) })).json()) as Array<{
      id: string;
    }>;
    // `matrix-site` exists in both tenants (created above by each admin): each sees only its own.
    expect(sites.map((s) => s.id).sort()).toEqual(['acme-hq', 'matrix-site']);
    expect(await t.cloud.ctx.tenants.site('demo', 'matrix-site')).toBeDefined();
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

describe('document writes × role', () => {
  const providers: WebsocketProvider[] = [];
  afterAll(() => providers.forEach((p) => p.destroy()));
  const docs = {
    own: siteDocName('demo', 'gangnam'),
    other: siteDocName('demo', 'hongdae'),
    tenant: tenantDocName('demo'),
    vendor: vendorDocName('demo', 'vendor'),
  } as const;
  type Outcome = 'stored' | 'dropped' | 4403;
  const table: Array<[string, keyof typeof docs, Outcome]> = [
    [HQ, 'own', 'stored'],
    [HQ, 'other', 'stored'],
    [HQ, 'tenant', 'dropped'],
    [HQ, 'vendor', 4403],
    [MGR, 'own', 'stored'],
    [MGR, 'other', 4403],
    [MGR, 'tenant', 4403],
    [VENDOR, 'own', 4403],
    [VENDOR, 'tenant', 4403],
    [VENDOR, 'vendor', 'dropped'],
    [ADMIN, 'own', 'dropped'],
    [ADMIN, 'tenant', 'dropped'],
    [X_HQ, 'own', 4403],
    [X_ADMIN, 'tenant', 4403],
    [X_VENDOR, 'vendor', 4403],
  ];

  it.each(table)('%s writing %s → %s', async (who, doc, outcome) => {
    const name = docs[doc];
    const token = await t.token(who);
    if (outcome === 4403) {
      const res = await closeCodeOf(`${url.replace('http', 'ws')}/sync/${encodeURIComponent(name)}?token=${encodeURIComponent(token)}`);
      return expect(res.code).toBe(4403);
    }
    const [writer, watcher] = [connectProvider(url, name, token), connectProvider(url, name, token)];
    providers.push(writer, watcher);
    await Promise.all([whenSynced(writer), whenSynced(watcher)]);
    const marker = `${who}-${doc}`;
    writer.doc.getMap('matrixProbe').set(marker, true);
    // Frames of one socket are handled in order: once its presence is relayed, the write was handled.
    writer.awareness.setLocalStateField('probe', marker);
    await eventually(() => watcher.awareness.getStates().get(writer.doc.clientID)?.probe === marker, 5000, 'write handled');
    const stored = await t.cloud.ctx.docs.read(name, (d) => d.getMap('matrixProbe').has(marker));
    expect(stored ? 'stored' : 'dropped').toBe(outcome);
    if (outcome === 'stored') await eventually(() => watcher.doc.getMap('matrixProbe').has(marker), 5000, 'relayed');
    else expect(watcher.doc.getMap('matrixProbe').has(marker)).toBe(false);
  });
});
