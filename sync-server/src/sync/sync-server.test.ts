import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ALERT_TYPES,
  SiteDoc,
  TenantDoc,
  VendorDoc,
  alertId,
  raiseAlert,
  siteDocName,
  tenantDocName,
  vendorDocName,
} from '@cr/shared';
import { seedOtherTenant, startTestCloud, eventually, type TestCloud } from '../testing/test-cloud';
import { closeCodeOf, connectProvider, whenSynced } from '../testing/sync-clients';
import type { WebsocketProvider } from 'y-websocket';

let t: TestCloud;
let url: string;
const providers: WebsocketProvider[] = [];
const open = (doc: string, token: string, ydoc?: Y.Doc) => {
  const p = connectProvider(url, doc, token, ydoc);
  providers.push(p);
  return p;
};

beforeAll(async () => {
  t = await startTestCloud({ tuning: { compactAfterRows: 20 } });
  await seedOtherTenant(t.cloud);
  url = (await t.cloud.listen(0)).url;
});
afterAll(async () => {
  for (const p of providers) p.destroy();
  await t.close();
});

const GANGNAM = siteDocName('demo', 'gangnam');

describe('y-websocket sync', () => {
  it('serves the seeded site document and converges two clients', async () => {
    const hq = open(GANGNAM, await t.token('hq@demo.local'));
    const mgr = open(GANGNAM, await t.token('gangnam.manager@demo.local'));
    await Promise.all([whenSynced(hq), whenSynced(mgr)]);
    expect(new SiteDoc(hq.doc).zones().map((z) => z.id)).toEqual(['lobby', 'lounge', 'meeting', 'office']);
    new SiteDoc(hq.doc).setDevicePosition('door-lobby', { x: 33, y: 44 }, 'hq', 1);
    new SiteDoc(mgr.doc).setOccupancy('lobby', 7, 2);
    await eventually(
      () =>
        new SiteDoc(mgr.doc).device('door-lobby')?.position?.x === 33 && new SiteDoc(hq.doc).occupancy().lobby === 7,
      5000,
      'convergence',
    );
    expect(Y.encodeStateVector(hq.doc)).toEqual(Y.encodeStateVector(mgr.doc));
  });

  it('keeps read-only clients from writing', async () => {
    const admin = open(GANGNAM, await t.token('admin@demo.local'));
    const hq = open(GANGNAM, await t.token('hq@demo.local'));
    await Promise.all([whenSynced(admin), whenSynced(hq)]);
    new SiteDoc(admin.doc).setOccupancy('meeting', 99, 3);
    new SiteDoc(hq.doc).setOccupancy('office', 5, 4);
    await eventually(() => new SiteDoc(admin.doc).occupancy().office === 5, 5000, 'hq write reaching the admin');
    expect(await t.cloud.ctx.docs.read(GANGNAM, (d) => new SiteDoc(d).occupancy().meeting)).toBeUndefined();
    expect(new SiteDoc(hq.doc).occupancy().meeting).toBeUndefined();
  });

  it.each([
    ['a forged token', GANGNAM, 'not.a.token', 4401],
    ['no access (manager, other site)', siteDocName('demo', 'hongdae'), 'gangnam.manager@demo.local', 4403],
    ['a vendor on a site document', GANGNAM, 'vendor@demo.local', 4403],
    ['another tenant', GANGNAM, 'hq@acme.test', 4403],
    ['another vendor view', vendorDocName('demo', 'vendor'), 'hq@demo.local', 4403],
    ['an unknown site', siteDocName('demo', 'nowhere'), 'hq@demo.local', 4404],
    ['a malformed name', 'site:demo:../x', 'hq@demo.local', 4403],
  ])('closes %s with the right code', async (_n, doc, who, code) => {
    const token = who.includes('@') ? await t.token(who) : who;
    const res = await closeCodeOf(
      `${url.replace('http', 'ws')}/sync/${encodeURIComponent(doc)}?token=${encodeURIComponent(token)}`,
    );
    expect(res.code).toBe(code);
  });

  it('lets the site edge write its own site document only', async () => {
    const edge = open(GANGNAM, t.cloud.demoEdgeTokens.gangnam!);
    await whenSynced(edge);
    new SiteDoc(edge.doc).setAvailability('door-lobby', true, 10);
    await eventually(
      () => t.cloud.ctx.docs.read(GANGNAM, (d) => new SiteDoc(d).device('door-lobby')?.online),
      5000,
      'edge write',
    );
    const other = await closeCodeOf(
      `${url.replace('http', 'ws')}/sync/${siteDocName('demo', 'hongdae')}?token=${t.cloud.demoEdgeTokens.gangnam}`,
    );
    expect(other.code).toBe(4403);
  });

  it('gives vendors a derived read-only view with facility alerts only', async () => {
    const edge = open(siteDocName('demo', 'hongdae'), t.cloud.demoEdgeTokens.hongdae!);
    await whenSynced(edge);
    edge.doc.transact(() => {
      raiseAlert(edge.doc, {
        id: alertId('hongdae', 'hvac-main', 'device.fault', 1000),
        siteId: 'hongdae',
        type: 'device.fault',
        severity: ALERT_TYPES['device.fault'].severity,
        raisedAt: 1000,
        deviceId: 'hvac-main',
        source: 'edge',
      });
      raiseAlert(edge.doc, {
        id: alertId('hongdae', 'door-lobby', 'door.forced', 1000),
        siteId: 'hongdae',
        type: 'door.forced',
        severity: 'critical',
        raisedAt: 1000,
        deviceId: 'door-lobby',
        source: 'edge',
      });
    });
    const vendor = open(vendorDocName('demo', 'vendor'), await t.token('vendor@demo.local'));
    await whenSynced(vendor);
    const view = new VendorDoc(vendor.doc);
    await eventually(
      () => view.alerts().some((a) => a.deviceId === 'hvac-main'),
      5000,
      'facility alert in vendor view',
    );
    expect(
      view
        .sites()
        .map((s) => s.id)
        .sort(),
    ).toEqual(['gangnam', 'hongdae', 'yeouido']);
    expect(view.alerts().every((a) => a.category === 'facility')).toBe(true);
    // Read-only: the vendor's own edits never reach the server.
    new VendorDoc(vendor.doc).setSite({ id: 'fake', name: 'x', lat: 0, lng: 0, timezone: 'Asia/Seoul' });
    const rest = (await (
      await t.api('GET', '/api/v1/alerts?siteId=hongdae', { token: await t.token('vendor@demo.local') })
    ).json()) as Array<{ type: string }>;
    expect(rest.map((a) => a.type)).toEqual(['device.fault']);
    expect(
      await t.cloud.ctx.docs.read(vendorDocName('demo', 'vendor'), (d) =>
        new VendorDoc(d).sites().some((s) => s.id === 'fake'),
      ),
    ).toBe(false);
    // Status of the overview map follows the site document.
    await eventually(
      () =>
        t.cloud.ctx.docs.read(
          tenantDocName('demo'),
          (d) => new TenantDoc(d).status('hongdae')?.worstSeverity === 'critical',
        ),
      5000,
      'tenant status',
    );
  });

  it('compacts in the background without losing state', async () => {
    const hq = open(siteDocName('demo', 'yeouido'), await t.token('hq@demo.local'));
    await whenSynced(hq);
    for (let i = 0; i < 60; i++) new SiteDoc(hq.doc).setOccupancy('lobby', i, i);
    const store = t.cloud.ctx.docs;
    await eventually(
      () =>
        t.cloud.ctx.sqlite!.db.prepare("SELECT COUNT(*) AS n FROM doc_updates WHERE doc_name = 'site:demo:yeouido'").get() as {
          n: number;
        },
      5000,
    );
    await eventually(
      () => store.read(siteDocName('demo', 'yeouido'), (d) => new SiteDoc(d).occupancy().lobby === 59),
      5000,
      'all updates',
    );
    await eventually(
      () =>
        (
          t.cloud.ctx.sqlite!.db
            .prepare("SELECT COUNT(*) AS n FROM doc_updates WHERE doc_name = 'site:demo:yeouido'")
            .get() as { n: number }
        ).n < 30,
      5000,
      'compaction',
    );
    const scratch = new Y.Doc();
    for (const row of t.cloud.ctx.sqlite!.db
      .prepare("SELECT data FROM doc_updates WHERE doc_name = 'site:demo:yeouido' ORDER BY seq")
      .all() as Array<{ data: Buffer }>)
      Y.applyUpdate(scratch, row.data);
    expect(new SiteDoc(scratch).occupancy().lobby).toBe(59);
    expect(new SiteDoc(scratch).zones()).toHaveLength(4);
  });
});

describe('restart', () => {
  it('serves the same state after a restart and unloads idle documents', async () => {
    const first = await startTestCloud({ tuning: { docIdleMs: 0 } });
    const base = (await first.cloud.listen(0)).url;
    const p = connectProvider(base, GANGNAM, await first.token('hq@demo.local'));
    await whenSynced(p);
    new SiteDoc(p.doc).setDevicePosition('camera-office', { x: 1, y: 2 }, 'hq', 5);
    await eventually(
      () => first.cloud.ctx.docs.read(GANGNAM, (d) => new SiteDoc(d).device('camera-office')?.position?.x === 1),
      5000,
    );
    const before = Y.encodeStateAsUpdate(p.doc);
    p.destroy();
    await eventually(
      () => first.cloud.ctx.docs.sweepIdle(Date.now() + 1) >= 0 && !first.cloud.ctx.docs.isLoaded(GANGNAM),
      5000,
      'idle unload',
    );
    await first.cloud.close();
    const second = await startTestCloud({ dataDir: first.dataDir });
    try {
      const base2 = (await second.cloud.listen(0)).url;
      const fresh = connectProvider(base2, GANGNAM, await second.token('hq@demo.local'));
      await whenSynced(fresh);
      expect(new SiteDoc(fresh.doc).device('camera-office')?.position).toEqual({ x: 1, y: 2 });
      expect(new SiteDoc(fresh.doc).zones()).toHaveLength(4);
      const check = new Y.Doc();
      Y.applyUpdate(check, before);
      expect(new SiteDoc(fresh.doc).devices()).toEqual(new SiteDoc(check).devices());
      fresh.destroy();
    } finally {
      await second.close();
      (await import('node:fs')).rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});
