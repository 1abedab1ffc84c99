import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import {
  ROLES,
  SiteDoc,
  TenantDoc,
  authorize,
  docAccess,
  siteDocName,
  tenantDocName,
  vendorDocName,
  type Principal,
  type Role,
} from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { connectProvider, whenSynced } from '../testing/sync-clients';
import { TestEdge } from '../testing/edge-client';
import { syncAccess } from './write-scope';

const GANGNAM = siteDocName('demo', 'gangnam');
const HQ = 'hq@demo.local';

let t: TestCloud;
let url: string;
const providers: WebsocketProvider[] = [];
const edges: TestEdge[] = [];
const open = async (doc: string, token: string) => {
  const p = connectProvider(url, doc, token);
  providers.push(p);
  await whenSynced(p);
  return p;
};
const edgeLink = async (cloud: TestCloud, base: string, site: string) => {
  const e = await TestEdge.connect(base, cloud.cloud.demoEdgeTokens[site]!);
  edges.push(e);
  return e;
};
const getJson = async <T>(path: string, who = HQ, cloud = t): Promise<T> =>
  (await (await cloud.api('GET', path, { token: await cloud.token(who) })).json()) as T;

beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
});
afterEach(() => {
  for (const e of edges.splice(0)) e.close();
});
afterAll(async () => {
  for (const p of providers) p.destroy();
  await t.close();
});

describe('facts the server owns', () => {
  it('shows the mode and fire state the edge reported, whatever a console writes into the site document', async () => {
    const edge = await edgeLink(t, url, 'gangnam');
    edge.hello('gangnam', 0, { mode: 'lockdown' });
    await edge.next('welcome');
    await eventually(async () => (await t.cloud.ctx.status.reportedState('demo', 'gangnam'))?.mode === 'lockdown', 5000, 'report');
    // The attacker: an operator's console (y-websocket, hq-operator token) rewrites the document's copy.
    const console = await open(GANGNAM, await t.token(HQ));
    new SiteDoc(console.doc).setMeta({ mode: 'normal', fireActive: false });
    await eventually(() => t.cloud.ctx.docs.read(GANGNAM, (d) => new SiteDoc(d).meta().mode === 'normal'), 5000, 'console write stored');
    // What the debounced refresh after a document change does, done now.
    t.cloud.ctx.status.refresh('demo', 'gangnam');
    const list = await getJson<Array<{ id: string; mode: string }>>('/api/v1/sites');
    expect(list.find((s) => s.id === 'gangnam')?.mode).toBe('lockdown');
    expect((await getJson<{ mode: string }>('/api/v1/sites/gangnam')).mode).toBe('lockdown');
    const map = await open(tenantDocName('demo'), await t.token(HQ));
    expect(new TenantDoc(map.doc).status('gangnam')).toMatchObject({ mode: 'lockdown', fireActive: false });
    // A later edge report is what moves it.
    edge.heartbeat({ mode: 'normal' });
    await edge.next('time');
    await eventually(() => new TenantDoc(map.doc).status('gangnam')?.mode === 'normal', 5000, 'map follows the edge');
  });

  it("reports the directory's time zone to the API and the edge's welcome, not the document's", async () => {
    const console = await open(GANGNAM, await t.token(HQ));
    for (const zone of ['Not/AZone', 'America/New_York']) {
      console.doc.getMap('meta').set('timezone', zone);
      await eventually(() => t.cloud.ctx.docs.read(GANGNAM, (d) => d.getMap('meta').get('timezone') === zone), 5000, 'stored');
      const detail = await getJson<{ timezone: string }>('/api/v1/sites/gangnam');
      expect(detail.timezone).toBe('Asia/Seoul');
      const list = await getJson<Array<{ id: string; timezone: string }>>('/api/v1/sites');
      expect(list.find((s) => s.id === 'gangnam')?.timezone).toBe('Asia/Seoul');
      const edge = await edgeLink(t, url, 'gangnam');
      edge.hello('gangnam');
      const facts = (await edge.next('welcome')).site;
      expect(facts?.timezone).toBe('Asia/Seoul');
      // The zones the edge places doors by are the cloud's records too, not the document's.
      expect(facts?.zones?.map((z) => z.id)).toEqual((await t.cloud.ctx.siteAdmin.zones('demo', 'gangnam')).map((z) => z.id));
      edge.close();
    }
    expect(await t.cloud.ctx.docs.read(tenantDocName('demo'), (d) => new TenantDoc(d).sites().find((s) => s.id === 'gangnam')?.timezone)).toBe('Asia/Seoul');
  });

  it('keeps the edge’s report across a restart, so a console’s fake fire never reaches a replacement gateway', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloud-authority-'));
    try {
      const first = await startTestCloud({ dataDir });
      const base = (await first.cloud.listen(0)).url;
      const edge = await edgeLink(first, base, 'hongdae');
      edge.hello('hongdae', 0, { mode: 'secure' });
      await edge.next('welcome');
      await eventually(async () => (await first.cloud.ctx.status.reportedState('demo', 'hongdae'))?.mode === 'secure', 5000, 'report');
      // While the cloud runs, a console writes a fire and a lockdown into the document.
      await first.cloud.ctx.docs.mutate(siteDocName('demo', 'hongdae'), (d) => d.getMap('meta').set('fireActive', true));
      edge.close();
      await first.cloud.close();

      const second = await startTestCloud({ dataDir });
      try {
        const base2 = (await second.cloud.listen(0)).url;
        expect((await getJson<{ mode: string; fireActive: boolean }>('/api/v1/sites/hongdae', HQ, second))).toMatchObject({ mode: 'secure', fireActive: false });
        const fresh = await edgeLink(second, base2, 'hongdae');
        fresh.hello('hongdae');
        expect((await fresh.next('welcome')).siteRecord).toEqual({ mode: 'secure', fireActive: false });
      } finally {
        await second.cloud.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/**
 * Resolves once the server has handled every frame `writer` sent so far: frames of one socket are
 * handled in order, and presence (allowed to read-only peers too) is relayed to `watcher`.
 */
async function processed(writer: WebsocketProvider, watcher: WebsocketProvider): Promise<void> {
  const mark = Math.random();
  writer.awareness.setLocalStateField('mark', mark);
  await eventually(() => watcher.awareness.getStates().get(writer.doc.clientID)?.mark === mark, 5000, 'frames handled');
}

describe('write scope per connection', () => {
  const principal = (role: Role): Principal => ({ kind: 'user', userId: `u-${role}`, role, tenantId: 'demo', siteIds: ['gangnam'] });
  const docs = [GANGNAM, siteDocName('demo', 'hongdae'), tenantDocName('demo'), vendorDocName('demo', 'u-vendor')];

  it.each(ROLES)('%s: may write a site document only with map.edit and alert.act; never the derived documents', (role) => {
    const p = principal(role);
    for (const doc of docs) {
      const access = syncAccess(p, doc);
      // Opening follows docAccess exactly; writing never exceeds it.
      expect(access === 'none').toBe(docAccess(p, doc) === 'none');
      if (docAccess(p, doc) !== 'write') expect(access).not.toBe('write');
      const site = doc.startsWith('site:') ? doc.split(':')[2]! : undefined;
      const may = (type: 'map.edit' | 'alert.act') => site !== undefined && authorize(p, 'demo', { type, siteId: site }).allowed;
      expect(access === 'write').toBe(docAccess(p, doc) !== 'none' && may('map.edit') && may('alert.act'));
    }
    // Every role that writes a site document has map.edit there (what the server enforces on zones).
    if (docAccess(p, GANGNAM) === 'write') expect(authorize(p, 'demo', { type: 'map.edit', siteId: 'gangnam' }).allowed).toBe(true);
  });

  it('drops zone edits from a connection without map.edit (tenant-admin) and operators’ writes to the tenant document', async () => {
    const admin = await open(GANGNAM, await t.token('admin@demo.local'));
    const hq = await open(GANGNAM, await t.token(HQ));
    new SiteDoc(admin.doc).setZone({ id: 'vault', name: 'Vault', polygon: [[0, 0], [5, 0], [5, 5]] });
    new SiteDoc(admin.doc).removeZone('lobby');
    await processed(admin, hq);
    const zones = await t.cloud.ctx.docs.read(GANGNAM, (d) => new SiteDoc(d).zones().map((z) => z.id));
    expect(zones).toContain('lobby');
    expect(zones).not.toContain('vault');
    expect(new SiteDoc(hq.doc).zones().map((z) => z.id)).not.toContain('vault');

    const map = await open(tenantDocName('demo'), await t.token(HQ));
    new TenantDoc(map.doc).setStatus('yeouido', { online: true, mode: 'emergency-unlock', fireActive: true, openAlerts: 0, ts: 1 });
    new TenantDoc(map.doc).setSite({ id: 'yeouido', name: 'Fake', lat: 0, lng: 0, timezone: 'Asia/Tokyo' });
    const other = await open(tenantDocName('demo'), await t.token('admin@demo.local'));
    await processed(map, other);
    const server = await t.cloud.ctx.docs.read(tenantDocName('demo'), (d) => ({ status: new TenantDoc(d).status('yeouido'), site: new TenantDoc(d).sites().find((s) => s.id === 'yeouido') }));
    expect(server.status?.fireActive).not.toBe(true);
    expect(server.site?.name).not.toBe('Fake');
    expect(new TenantDoc(other.doc).status('yeouido')?.mode).not.toBe('emergency-unlock');
  });
});
