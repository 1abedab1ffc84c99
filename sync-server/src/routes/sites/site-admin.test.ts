import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SiteDoc, TenantDoc, siteDocName, tenantDocName } from '@cr/shared';
import { startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { connectProvider, whenSynced } from '../../testing/sync-clients';

let t: TestCloud;
let admin: string;
let url: string;
beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
  admin = await t.token('admin@demo.local');
});
afterAll(() => t.close());

const seongsu = { id: 'seongsu', name: '성수점 Seongsu', lat: 37.5446, lng: 127.0557, timezone: 'Asia/Seoul' };
const docs = () => t.cloud.ctx.docs;

describe('site management (tenant-admin)', () => {
  it('creates a site with its directory entry and, once, its site document on the server', async () => {
    const res = await t.api('POST', '/api/v1/sites', { token: admin, body: seongsu });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id: 'seongsu', name: seongsu.name, online: false, mode: 'normal' });
    const hq = await t.token('hq@demo.local');
    const listed = (await (await t.api('GET', '/api/v1/sites', { token: hq })).json()) as Array<{ id: string }>;
    expect(listed.map((s) => s.id)).toContain('seongsu');
    expect(
      await docs().read(tenantDocName('demo'), (d) => new TenantDoc(d).sites().find((s) => s.id === 'seongsu')),
    ).toMatchObject({
      name: seongsu.name,
      lat: seongsu.lat,
    });
    // An HQ console opening the new site's document finds the server's content (nothing seeded on clients).
    const p = connectProvider(url, siteDocName('demo', 'seongsu'), hq);
    await whenSynced(p);
    expect(new SiteDoc(p.doc).meta()).toMatchObject({
      id: 'seongsu',
      tenantId: 'demo',
      mode: 'normal',
      timezone: 'Asia/Seoul',
    });
    p.destroy();
    expect((await t.api('POST', '/api/v1/sites', { token: admin, body: seongsu })).status).toBe(409);
  });

  it('updates name, position and time zone everywhere the site is shown, never its mode', async () => {
    await docs().mutate(siteDocName('demo', 'seongsu'), (d) => new SiteDoc(d).setMeta({ mode: 'secure' }));
    const res = await t.api('PATCH', '/api/v1/sites/seongsu', {
      token: admin,
      body: { name: 'Seongsu Forest', lat: 37.5447, timezone: 'Asia/Tokyo' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      name: 'Seongsu Forest',
      lat: 37.5447,
      lng: seongsu.lng,
      timezone: 'Asia/Tokyo',
    });
    expect(await docs().read(siteDocName('demo', 'seongsu'), (d) => new SiteDoc(d).meta())).toMatchObject({
      name: 'Seongsu Forest',
      timezone: 'Asia/Tokyo',
      mode: 'secure',
    });
    expect(
      await docs().read(tenantDocName('demo'), (d) => new TenantDoc(d).sites().find((s) => s.id === 'seongsu')?.name),
    ).toBe('Seongsu Forest');
    const audit = (await (await t.api('GET', '/api/v1/audit?siteId=seongsu', { token: admin })).json()) as Array<{
      action: string;
      actor: string;
      details?: Record<string, unknown>;
    }>;
    expect(audit.map((a) => a.action).reverse()).toEqual(['site.create', 'site.update']);
    // The account id, as for sign-ins and commands; the display name beside it.
    expect(audit[0]).toMatchObject({ actor: (await t.cloud.ctx.users.byEmail('admin@demo.local'))!.id, details: { actorName: 'Tenant Admin' } });
  });

  it('lets a user be scoped to the new site', async () => {
    const res = await t.api('POST', '/api/v1/users', {
      token: admin,
      body: {
        email: 'seongsu@demo.local',
        name: 'Seongsu Manager',
        role: 'site-manager',
        siteIds: ['seongsu'],
        password: DEMO_PASSWORD,
      },
    });
    expect(res.status).toBe(201);
    const token = await t.token('seongsu@demo.local');
    expect((await t.api('GET', '/api/v1/sites/seongsu', { token })).status).toBe(200);
    expect((await t.api('GET', '/api/v1/sites/gangnam', { token })).status).toBe(403);
  });

  it.each([
    ['an unknown time zone', 'POST', '/api/v1/sites', { ...seongsu, id: 'x1', timezone: 'Mars/Olympus' }, 400],
    ['an id with a slash', 'POST', '/api/v1/sites', { ...seongsu, id: 'a/b' }, 400],
    ['a latitude off the globe', 'POST', '/api/v1/sites', { ...seongsu, id: 'x2', lat: 91 }, 400],
    ['an unknown field', 'PATCH', '/api/v1/sites/gangnam', { mode: 'lockdown' }, 400],
    ['a missing site', 'PATCH', '/api/v1/sites/nowhere', { name: 'x' }, 404],
  ])('refuses %s', async (_n, method, path, body, status) => {
    expect((await t.api(method, path, { token: admin, body })).status).toBe(status);
  });
});
