import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { SiteDoc, siteDocName, type ReportedDevice } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { connectProvider, whenSynced } from '../testing/sync-clients';
import { TestEdge } from '../testing/edge-client';

/**
 * A site's devices are what its edge reports over the link, never what a console writes into the
 * site document; zones are the server's zone records.
 */
const HQ = 'hq@demo.local';
const GANGNAM = siteDocName('demo', 'gangnam');

let t: TestCloud;
let url: string;
const providers: WebsocketProvider[] = [];
const edges: TestEdge[] = [];

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

interface Detail {
  zones: Array<{ id: string; name: string }>;
  devices: Array<{ id: string; kind: string; name: string; zoneId?: string; online: boolean }>;
}
const get = async <T>(path: string, who = HQ, cloud = t) => {
  const res = await cloud.api('GET', path, { token: await cloud.token(who) });
  return { status: res.status, body: (await res.json()) as T };
};

const reported: ReportedDevice[] = [
  { id: 'door-lobby', kind: 'door', name: 'Lobby door', zoneId: 'lobby', online: true, approval: 'approved', firmware: '2.1.0', model: 'DL-1' },
  { id: 'reader-lobby', kind: 'reader', name: 'Lobby reader', zoneId: 'lobby', doorId: 'door-lobby', online: true, approval: 'pending' },
  { id: 'hvac-main', kind: 'hvac', name: 'HVAC', zoneId: 'office', online: false, approval: 'approved' },
];

async function edgeReports(devices: ReportedDevice[], site = 'gangnam', cloud = t, base = url): Promise<void> {
  const edge = await TestEdge.connect(base, cloud.cloud.demoEdgeTokens[site]!);
  edges.push(edge);
  edge.hello(site);
  await edge.next('welcome');
  edge.devices(devices);
  // Messages of one link are handled in order: the heartbeat's answer means the report was taken.
  const ts = Date.now();
  edge.heartbeat({ ts });
  await edge.next('time', (m) => m.echo === ts);
}

describe('device inventory from the edge', () => {
  it('never lists a door or zone a console wrote into the site document; lists what the edge reported', async () => {
    // Before any report a demo site shows its seeded plan.
    const seeded = await get<Detail>('/api/v1/sites/gangnam');
    expect(seeded.body.devices.map((d) => d.id)).toContain('camera-entrance');

    // An operator's console (write access to the site document) adds a fake door and a fake zone.
    const operator = connectProvider(url, GANGNAM, await t.token(HQ));
    providers.push(operator);
    await whenSynced(operator);
    const sd = new SiteDoc(operator.doc);
    sd.upsertDevice({ id: 'door-fake', kind: 'door', name: 'Back door', zoneId: 'vault' });
    sd.setZone({ id: 'vault', name: 'Vault', polygon: [[0, 0], [5, 0], [5, 5]] });
    await eventually(() => t.cloud.ctx.docs.read(GANGNAM, (d) => new SiteDoc(d).device('door-fake')), 5000, 'fake door stored in the document');

    const before = await get<Detail>('/api/v1/sites/gangnam');
    expect(before.body.devices.map((d) => d.id)).not.toContain('door-fake');
    expect(before.body.zones.map((z) => z.id)).not.toContain('vault');
    expect(before.body.zones.map((z) => z.id)).toEqual(expect.arrayContaining(['lobby', 'lounge', 'meeting', 'office']));

    await edgeReports(reported);
    const after = await get<Detail>('/api/v1/sites/gangnam');
    expect(after.status).toBe(200);
    expect(after.body.devices).toEqual([
      { id: 'door-lobby', kind: 'door', name: 'Lobby door', zoneId: 'lobby', online: true },
      { id: 'hvac-main', kind: 'hvac', name: 'HVAC', zoneId: 'office', online: false },
      { id: 'reader-lobby', kind: 'reader', name: 'Lobby reader', zoneId: 'lobby', doorId: 'door-lobby', online: true },
    ]);

    const admission = await get<unknown[]>('/api/v1/sites/gangnam/devices');
    expect(admission.body).toEqual([
      { id: 'door-lobby', kind: 'door', name: 'Lobby door', zoneId: 'lobby', online: true, approval: 'approved', firmware: '2.1.0', model: 'DL-1' },
      { id: 'hvac-main', kind: 'hvac', name: 'HVAC', zoneId: 'office', online: false, approval: 'approved' },
      { id: 'reader-lobby', kind: 'reader', name: 'Lobby reader', zoneId: 'lobby', doorId: 'door-lobby', online: true, approval: 'pending' },
    ]);
  });

  it('shows a vendor facility devices only, and nobody the devices of a site outside their scope', async () => {
    await edgeReports(reported);
    const vendorDetail = await get<Detail>('/api/v1/sites/gangnam', 'vendor@demo.local');
    expect(vendorDetail.body.devices.map((d) => d.id)).toEqual(['hvac-main']);
    const vendorList = await get<Array<{ id: string }>>('/api/v1/sites/gangnam/devices', 'vendor@demo.local');
    expect(vendorList.body.map((d) => d.id)).toEqual(['hvac-main']);
    expect((await get('/api/v1/sites/hongdae/devices', 'gangnam.manager@demo.local')).status).toBe(403);
    expect((await get('/api/v1/sites/acme-hq/devices')).status).toBe(404);
    expect((await t.api('GET', '/api/v1/sites/gangnam/devices')).status).toBe(401);
  });

  it('replaces the list with each report (a device gone is gone), and keeps it across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloud-devices-'));
    try {
      const first = await startTestCloud({ dataDir });
      const base = (await first.cloud.listen(0)).url;
      await edgeReports(reported, 'gangnam', first, base);
      await edgeReports([reported[0]!], 'gangnam', first, base);
      // Another site's gateway reports only for its own site.
      await edgeReports([{ ...reported[2]!, id: 'hvac-yeouido' }], 'yeouido', first, base);
      expect((await get<Detail>('/api/v1/sites/gangnam', HQ, first)).body.devices.map((d) => d.id)).toEqual(['door-lobby']);
      for (const e of edges.splice(0)) e.close();
      await first.cloud.close();

      const again = await startTestCloud({ dataDir });
      try {
        expect((await get<Detail>('/api/v1/sites/gangnam', HQ, again)).body.devices.map((d) => d.id)).toEqual(['door-lobby']);
        expect((await get<Array<{ id: string }>>('/api/v1/sites/gangnam/devices', HQ, again)).body.map((d) => d.id)).toEqual(['door-lobby']);
        expect((await get<Detail>('/api/v1/sites/yeouido', HQ, again)).body.devices.map((d) => d.id)).toEqual(['hvac-yeouido']);
      } finally {
        await again.cloud.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a device list that breaks the schema, keeping the last good one', async () => {
    await edgeReports([reported[0]!]);
    const edge = await TestEdge.connect(url, t.cloud.demoEdgeTokens.gangnam!);
    edges.push(edge);
    edge.hello('gangnam');
    await edge.next('welcome');
    edge.send({ type: 'devices', devices: [{ id: 'x', kind: 'teleporter', name: 'X', online: true, approval: 'approved' }], ts: Date.now() });
    expect(await edge.next('error')).toMatchObject({ code: 'invalid' });
    expect((await get<Detail>('/api/v1/sites/gangnam')).body.devices.map((d) => d.id)).toEqual(['door-lobby']);
  });
});
