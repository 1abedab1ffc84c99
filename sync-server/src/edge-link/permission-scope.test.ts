import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '../testing/test-cloud';
import { TestEdge } from '../testing/edge-client';

let t: TestCloud;
let url: string;
let admin: string;
const edges: TestEdge[] = [];
beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
  admin = await t.token('admin@demo.local');
});
afterEach(() => {
  for (const e of edges.splice(0)) e.close();
});
afterAll(() => t.close());

async function edgeOf(site: string, version = 0) {
  const e = await TestEdge.connect(url, t.cloud.demoEdgeTokens[site]!);
  edges.push(e);
  e.hello(site, version);
  return { edge: e, snapshot: await e.next('permissions') };
}

const member = (grants: unknown[], card: string) => ({
  active: true,
  credentials: [{ type: 'card', value: card }],
  grants,
  secureMode: false,
  offlineWhitelist: false,
});

const put = (id: string, body: unknown) => t.api('PUT', `/api/v1/members/${id}`, { token: admin, body });

describe('permission feed per site', () => {
  it('sends each edge only members with a grant on its site, and only those grants', async () => {
    const gangnam = await edgeOf('gangnam');
    const hongdae = await edgeOf('hongdae');
    const res = await put(
      'member-roamer',
      member(
        [
          { zoneIds: ['lobby'], siteIds: ['hongdae'] },
          { zoneIds: ['office'], siteIds: ['hongdae', 'yeouido'] },
          { zoneIds: ['lounge'] },
        ],
        'card-roamer',
      ),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { grants: unknown[] }).grants[0]).toEqual({
      zoneIds: ['lobby'],
      siteIds: ['hongdae'],
    });
    const atHongdae = await hongdae.edge.next('permissions', (m) => m.upserts.some((u) => u.id === 'member-roamer'));
    expect(atHongdae.upserts.find((u) => u.id === 'member-roamer')!.grants).toEqual([
      { zoneIds: ['lobby'] },
      { zoneIds: ['office'] },
      { zoneIds: ['lounge'] },
    ]);
    const atGangnam = await gangnam.edge.next(
      'permissions',
      (m) => m.kind === 'delta' && m.version === atHongdae.version,
    );
    expect(atGangnam.upserts.find((u) => u.id === 'member-roamer')!.grants).toEqual([{ zoneIds: ['lounge'] }]);

    expect((await put('member-hongdae', member([{ zoneIds: ['lobby'], siteIds: ['hongdae'] }], 'card-h'))).status).toBe(
      200,
    );
    const delta = await gangnam.edge.next('permissions', (m) => m.version > atGangnam.version);
    expect(delta.upserts).toEqual([]);
    expect(delta.removals).toEqual(['member-hongdae']);

    const fresh = await edgeOf('gangnam');
    const ids = fresh.snapshot.upserts.map((m) => m.id);
    expect(ids).toContain('member-roamer');
    expect(ids).not.toContain('member-hongdae');
    expect((await edgeOf('hongdae')).snapshot.upserts.map((m) => m.id)).toContain('member-hongdae');
  });

  it('moves a member between sites: the old site removes them, the new one receives them', async () => {
    await put('member-mover', member([{ zoneIds: ['lobby'], siteIds: ['yeouido'] }], 'card-mover'));
    const yeouido = await edgeOf('yeouido');
    const gangnam = await edgeOf('gangnam');
    expect(yeouido.snapshot.upserts.map((m) => m.id)).toContain('member-mover');
    const res = await t.api('PUT', '/api/v1/members/member-mover/grants', {
      token: admin,
      body: { grants: [{ zoneIds: ['lobby'], siteIds: ['gangnam'] }] },
    });
    expect(res.status).toBe(200);
    const left = await yeouido.edge.next('permissions', (m) => m.removals.includes('member-mover'));
    const arrived = await gangnam.edge.next('permissions', (m) => m.upserts.some((u) => u.id === 'member-mover'));
    expect(left.upserts).toEqual([]);
    expect(arrived.version).toBe(left.version);
  });

  it('tells an edge that reconnects up to date that its cache is current', async () => {
    const first = await edgeOf('yeouido');
    const again = await edgeOf('yeouido', first.snapshot.version);
    expect(again.snapshot).toMatchObject({
      kind: 'delta',
      fromVersion: first.snapshot.version,
      upserts: [],
      removals: [],
    });
  });

  it.each([
    ['a site of no one', { grants: [{ zoneIds: ['lobby'], siteIds: ['acme-hq'] }] }, 400],
    ['an empty site list', { grants: [{ zoneIds: ['lobby'], siteIds: [] }] }, 400],
    ['an unknown grant field', { grants: [{ zoneIds: ['lobby'], sites: ['gangnam'] }] }, 400],
  ])('refuses grants with %s', async (_n, body, status) => {
    expect((await t.api('PUT', '/api/v1/members/member-0003/grants', { token: admin, body })).status).toBe(status);
  });
});
