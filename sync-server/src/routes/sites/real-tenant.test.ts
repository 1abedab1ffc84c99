import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SiteDoc, siteDocName } from '@cr/shared';
import { bootstrapTenant } from '../../domain/bootstrap';
import { hashPassword } from '../../domain/passwords';
import { startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { TestEdge } from '../../testing/edge-client';
import { serviceGate } from '../../testing/services';
import { createTestDatabase, TEST_PG_URL } from '../../store/postgres/test-database';

/** A cloud started without --demo on a data directory made by `init` (CONTRACT.md §5). */
const PASSWORD = 'acme-admin-password';
const ADMIN = 'ops@acme.test';
const OTHER_ADMIN = 'ops@beta.test';
const HQ = 'hq@acme.test';
const MANAGER = 'manager@acme.test';

const pgGate = serviceGate('PostgreSQL', TEST_PG_URL);

/** The same tenant, routes and edge feed on the embedded store and on PostgreSQL. */
function realTenant(kind: 'sqlite' | 'postgres'): void {
  let data: string;
  let storeUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  let t: TestCloud;
  let url: string;
  const tokens: Record<string, string> = {};

  async function login(email: string, password: string): Promise<Response> {
    return t.api('POST', '/api/v1/auth/login', { body: { email, password } });
  }
  const as = (email: string) => ({ token: tokens[email]! });
  const bodyOf = async (res: Response) => ({ status: res.status, body: (await res.json()) as unknown });

  const seongsu = { id: 'seongsu', name: '성수점', lat: 37.5446, lng: 127.0557, timezone: 'Asia/Seoul' };

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), 'cloud-real-'));
    if (kind === 'postgres') {
      const db = await createTestDatabase('cr_real');
      storeUrl = db.url;
      dropDb = db.drop;
    }
    await bootstrapTenant({
      dataDir: data,
      storeUrl,
      tenantId: 'acme',
      tenantName: 'Acme',
      adminEmail: ADMIN,
      password: PASSWORD,
    });
    await bootstrapTenant({
      dataDir: data,
      storeUrl,
      tenantId: 'beta',
      tenantName: 'Beta',
      adminEmail: OTHER_ADMIN,
      password: PASSWORD,
    });
    t = await startTestCloud({ demo: false, dataDir: data, config: { storeUrl } });
    url = (await t.cloud.listen(0)).url;
    for (const email of [ADMIN, OTHER_ADMIN]) {
      tokens[email] = ((await (await login(email, PASSWORD)).json()) as { accessToken: string }).accessToken;
    }
    expect((await t.api('POST', '/api/v1/sites', { ...as(ADMIN), body: seongsu })).status).toBe(201);
    // People of other roles, inserted directly: how users are created is not what this file tests.
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const [email, role, siteIds] of [
      [HQ, 'hq-operator', []],
      [MANAGER, 'site-manager', ['seongsu']],
    ] as const) {
      await t.cloud.ctx.users.insert({
        id: email.split('@')[0]!,
        tenantId: 'acme',
        email,
        name: email,
        role,
        siteIds: [...siteIds],
        passwordHash,
        disabled: false,
      });
      tokens[email] = ((await (await login(email, DEMO_PASSWORD)).json()) as { accessToken: string }).accessToken;
    }
  });
  afterAll(async () => {
    await t?.close();
    await dropDb?.();
    rmSync(data, { recursive: true, force: true });
  });

  describe(`a real tenant, served without --demo (${kind})`, () => {
    it('has no demo tenant, no demo login and no demo routes', async () => {
      expect(await t.cloud.ctx.tenants.tenantIds()).toEqual(['acme', 'beta']);
      expect(await bodyOf(await login('admin@demo.local', DEMO_PASSWORD))).toMatchObject({ status: 401 });
      expect(await bodyOf(await t.api('GET', '/api/v1/demo/edge-token/seongsu', as(ADMIN)))).toEqual({
        status: 404,
        body: { error: 'not-found', message: 'no route GET /api/v1/demo/edge-token/seongsu' },
      });
      const doc = (await (await t.api('GET', '/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths).filter((p) => p.includes('/demo/'))).toEqual([]);
      expect(doc.paths).toHaveProperty(['/api/v1/sites/{siteId}/zones/{zoneId}', 'put']);
      expect(doc.paths).toHaveProperty(['/api/v1/sites/{siteId}/edge-tokens', 'post']);
      expect(doc.paths).toHaveProperty(['/api/v1/members/{memberId}', 'put']);
    });

    it('says how to build the console at / while it is not built', async () => {
      const res = await t.api('GET', '/');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('npm run build -w @cr/desktop');
      expect((await t.api('GET', '/assets/app.js')).status).toBe(404);
    });

    it('creates sites (201), refusing a duplicate id (409) and a bad time zone or position (400)', async () => {
      const created = await bodyOf(
        await t.api('POST', '/api/v1/sites', { ...as(ADMIN), body: { ...seongsu, id: 'pangyo', name: 'Pangyo' } }),
      );
      expect(created).toMatchObject({
        status: 201,
        body: { id: 'pangyo', name: 'Pangyo', online: false, mode: 'normal' },
      });
      expect(await bodyOf(await t.api('POST', '/api/v1/sites', { ...as(ADMIN), body: seongsu }))).toEqual({
        status: 409,
        body: { error: 'conflict', message: 'a site with this id exists' },
      });
      expect(
        await bodyOf(
          await t.api('POST', '/api/v1/sites', {
            ...as(ADMIN),
            body: { ...seongsu, id: 'x1', timezone: 'Mars/Olympus' },
          }),
        ),
      ).toEqual({ status: 400, body: { error: 'bad-request', message: 'timezone: unknown time zone Mars/Olympus' } });
      const offGlobe = await bodyOf(
        await t.api('POST', '/api/v1/sites', { ...as(ADMIN), body: { ...seongsu, id: 'x2', lng: 181 } }),
      );
      expect(offGlobe).toMatchObject({
        status: 400,
        body: { error: 'bad-request', message: expect.stringMatching(/^lng: /) },
      });
      expect((await t.api('GET', '/api/v1/sites/x2', as(ADMIN))).status).toBe(404);
    });

    it('creates and renames zones: the server records them and the site document shows them', async () => {
      const put = (zoneId: string, name: string) =>
        t.api('PUT', `/api/v1/sites/seongsu/zones/${zoneId}`, { ...as(ADMIN), body: { name } });
      expect(await bodyOf(await put('lobby', 'Lobby'))).toEqual({
        status: 200,
        body: { id: 'lobby', name: 'Lobby', created: true },
      });
      expect(await bodyOf(await put('office', 'Office'))).toMatchObject({ status: 200, body: { created: true } });
      expect(await bodyOf(await put('lobby', '로비'))).toEqual({
        status: 200,
        body: { id: 'lobby', name: '로비', created: false },
      });
      expect(await bodyOf(await t.api('GET', '/api/v1/sites/seongsu/zones', as(MANAGER)))).toEqual({
        status: 200,
        body: [
          { id: 'lobby', name: '로비' },
          { id: 'office', name: 'Office' },
        ],
      });
      const detail = (await (await t.api('GET', '/api/v1/sites/seongsu', as(HQ))).json()) as { zones: unknown[] };
      expect(detail.zones).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: 'lobby', name: '로비' }),
          expect.objectContaining({ id: 'office' }),
        ]),
      );
      // New outlines do not cover each other, and a rename keeps the outline someone may have drawn.
      const zones = await t.cloud.ctx.docs.read(siteDocName('acme', 'seongsu'), (d) => new SiteDoc(d).zones());
      expect(zones.find((z) => z.id === 'lobby')!.polygon).not.toEqual(zones.find((z) => z.id === 'office')!.polygon);
      const audit = (await (await t.api('GET', '/api/v1/audit?siteId=seongsu', as(ADMIN))).json()) as Array<{
        action: string;
        target: string;
      }>;
      expect(
        audit
          .filter((a) => a.action.startsWith('zone.'))
          .map((a) => `${a.action} ${a.target}`)
          .reverse(),
      ).toEqual([
        'zone.create zone:seongsu/lobby',
        'zone.create zone:seongsu/office',
        'zone.rename zone:seongsu/lobby',
      ]);
    });

    it.each([
      ['an empty name', 'seongsu', 'lobby', { name: ' ' }, 400],
      ['an unknown field', 'seongsu', 'lobby', { name: 'x', polygon: [] }, 400],
      ['a zone id with a capital', 'seongsu', 'Lobby', { name: 'x' }, 400],
      ['a missing site', 'nowhere', 'lobby', { name: 'x' }, 404],
    ])('refuses a zone with %s', async (_n, site, zone, body, status) => {
      const res = await bodyOf(await t.api('PUT', `/api/v1/sites/${site}/zones/${zone}`, { ...as(ADMIN), body }));
      expect(res).toMatchObject({ status, body: { error: status === 400 ? 'bad-request' : 'not-found' } });
    });

    it('issues an edge token that links the site, and sends members with afterHours (default false) in the feed', async () => {
      const issued = await bodyOf(await t.api('POST', '/api/v1/sites/seongsu/edge-tokens', as(ADMIN)));
      expect(issued).toMatchObject({
        status: 201,
        body: { siteId: 'seongsu', token: expect.stringMatching(/^ey/), jti: expect.any(String) },
      });
      const edge = await TestEdge.connect(url, (issued.body as { token: string }).token);
      try {
        edge.hello('seongsu');
        await edge.next('permissions');
        const member = (afterHours?: boolean) => ({
          name: '김민지',
          active: true,
          credentials: [{ type: 'card', value: 'acme-card-1' }],
          grants: [{ zoneIds: ['lobby'], siteIds: ['seongsu'] }],
          secureMode: false,
          offlineWhitelist: false,
          ...(afterHours === undefined ? {} : { afterHours }),
        });
        const saved = await bodyOf(await t.api('PUT', '/api/v1/members/minji', { ...as(ADMIN), body: member() }));
        expect(saved).toMatchObject({ status: 200, body: { id: 'minji', afterHours: false } });
        const first = await edge.next('permissions', (m) => m.upserts.some((u) => u.id === 'minji'));
        expect(first.upserts.find((u) => u.id === 'minji')).toMatchObject({
          afterHours: false,
          grants: [{ zoneIds: ['lobby'] }],
        });
        expect((await t.api('PUT', '/api/v1/members/minji', { ...as(ADMIN), body: member(true) })).status).toBe(200);
        const second = await edge.next('permissions', (m) =>
          m.upserts.some((u) => u.id === 'minji' && u.afterHours === true),
        );
        expect(second.upserts).toHaveLength(1);
        expect(await bodyOf(await t.api('GET', '/api/v1/members/minji', as(ADMIN)))).toMatchObject({
          status: 200,
          body: { afterHours: true },
        });
      } finally {
        edge.ws.close();
      }
    });

    it.each([
      ['create a site', 'POST', '/api/v1/sites', { ...seongsu, id: 'x3' }],
      ['put a zone', 'PUT', '/api/v1/sites/seongsu/zones/lobby', { name: 'Hall' }],
      ['issue an edge token', 'POST', '/api/v1/sites/seongsu/edge-tokens', undefined],
      [
        'put a member',
        'PUT',
        '/api/v1/members/m2',
        { active: true, credentials: [], grants: [], secureMode: false, offlineWhitelist: false },
      ],
    ])('lets only a tenant-admin %s', async (_n, method, path, body) => {
      for (const email of [HQ, MANAGER]) {
        expect(await bodyOf(await t.api(method, path, { ...as(email), body }))).toEqual({
          status: 403,
          body: { error: 'forbidden', message: 'tenant-admin only' },
        });
      }
      expect((await t.api(method, path, { body })).status).toBe(401);
    });

    it("never lets another tenant's admin reach or name this tenant's sites and members", async () => {
      const other = as(OTHER_ADMIN);
      const notFound = { status: 404, body: { error: 'not-found', message: 'site not found' } };
      expect(
        await bodyOf(await t.api('PUT', '/api/v1/sites/seongsu/zones/lobby', { ...other, body: { name: 'Mine' } })),
      ).toEqual(notFound);
      expect(await bodyOf(await t.api('POST', '/api/v1/sites/seongsu/edge-tokens', other))).toEqual(notFound);
      expect(await bodyOf(await t.api('GET', '/api/v1/sites/seongsu/zones', other))).toEqual(notFound);
      expect(await bodyOf(await t.api('GET', '/api/v1/members/minji', other))).toEqual({
        status: 404,
        body: { error: 'not-found', message: 'member not found' },
      });
      const grantElsewhere = {
        active: true,
        credentials: [{ type: 'card', value: 'beta-card' }],
        grants: [{ zoneIds: ['lobby'], siteIds: ['seongsu'] }],
        secureMode: false,
        offlineWhitelist: false,
      };
      expect(await bodyOf(await t.api('PUT', '/api/v1/members/minji', { ...other, body: grantElsewhere }))).toEqual({
        status: 400,
        body: { error: 'bad-request', message: 'grants: unknown site seongsu' },
      });
      // Site ids are per tenant: the other tenant may have its own `seongsu`, which changes nothing here.
      expect(
        (await t.api('POST', '/api/v1/sites', { ...other, body: { ...seongsu, name: 'Beta Seongsu' } })).status,
      ).toBe(201);
      expect(((await (await t.api('GET', '/api/v1/sites/seongsu', as(ADMIN))).json()) as { name: string }).name).toBe(
        '성수점',
      );
      expect(await bodyOf(await t.api('GET', '/api/v1/sites/seongsu/zones', other))).toEqual({ status: 200, body: [] });
      expect(((await (await t.api('GET', '/api/v1/members/minji', as(ADMIN))).json()) as { name: string }).name).toBe(
        '김민지',
      );
    });
  });
}

describe('sqlite', () => realTenant('sqlite'));
describe.runIf(pgGate.available())('postgres', () => realTenant('postgres'));
