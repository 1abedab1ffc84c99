import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { ALERT_TYPES, FACILITY_KINDS, SiteDoc, VendorDoc, alertId, raiseAlert, siteDocName, vendorDocName, type AlertType } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { connectProvider, whenSynced } from '../../testing/sync-clients';
import { TestEdge } from '../../testing/edge-client';

const VENDOR = 'vendor@demo.local';
let t: TestCloud;
let url: string;
let edge: TestEdge;
const providers: WebsocketProvider[] = [];
const open = async (doc: string, token: string) => {
  const p = connectProvider(url, doc, token);
  providers.push(p);
  await whenSynced(p);
  return p;
};
const get = async (path: string, who: string) => (await t.api('GET', path, { token: await t.token(who) })).json();

/** Words that would tell a vendor of the fire, the site's mode or its security devices. */
const LEAKS = /fire|emergency|lockdown|"mode"|door|reader|camera|forced|pir-|kiosk/i;

function raise(doc: Y.Doc, type: AlertType, deviceId: string): string {
  const id = alertId('gangnam', deviceId, type, 1_000);
  raiseAlert(doc, { id, siteId: 'gangnam', type, severity: ALERT_TYPES[type].severity, raisedAt: 1_000, deviceId, source: 'edge', message: `${type} at ${deviceId}` });
  return id;
}

beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
  // A fire at Gangnam: the edge reports it and writes its alerts; a door lost power, an HVAC unit failed.
  edge = await TestEdge.connect(url, t.cloud.demoEdgeTokens.gangnam!);
  edge.hello('gangnam', 0, { mode: 'emergency-unlock', fireActive: true });
  await edge.next('welcome');
  const site = await open(siteDocName('demo', 'gangnam'), t.cloud.demoEdgeTokens.gangnam!);
  site.doc.transact(() => {
    raise(site.doc, 'fire.alarm', 'fire-panel');
    raise(site.doc, 'device.offline', 'door-lobby');
    raise(site.doc, 'door.forced', 'door-office');
    raise(site.doc, 'device.fault', 'hvac-main');
    new SiteDoc(site.doc).setMeta({ mode: 'emergency-unlock', fireActive: true });
  });
  await eventually(() => t.cloud.ctx.docs.read(siteDocName('demo', 'gangnam'), (d) => new SiteDoc(d).alerts().length >= 4), 5000, 'alerts stored');
  // Control: the fire is there for those who may see it.
  const hq = (await get('/api/v1/sites/gangnam', 'hq@demo.local')) as { mode: string; fireActive: boolean };
  expect(hq).toMatchObject({ mode: 'emergency-unlock', fireActive: true });
});
afterAll(async () => {
  edge.close();
  for (const p of providers) p.destroy();
  await t.close();
});

describe('a vendor during a fire', () => {
  it('sees in the site list only where its sites are and their facility faults', async () => {
    const body = (await get('/api/v1/sites', VENDOR)) as Array<Record<string, unknown>>;
    expect(JSON.stringify(body)).not.toMatch(LEAKS);
    expect(body.find((s) => s.id === 'gangnam')).toMatchObject({ openAlerts: 1, worstSeverity: 'major' });
    for (const s of body) expect(Object.keys(s).sort()).toEqual(expect.arrayContaining(['id', 'lat', 'lng', 'name', 'online', 'openAlerts']));
  });

  it('sees in the site detail only facility devices', async () => {
    const body = (await get('/api/v1/sites/gangnam', VENDOR)) as { devices: Array<{ kind: string }> };
    expect(JSON.stringify(body)).not.toMatch(LEAKS);
    expect(body.devices.length).toBeGreaterThan(0);
    expect(body.devices.every((d) => FACILITY_KINDS.has(d.kind as never))).toBe(true);
  });

  it('sees over REST only the facility fault of a facility device', async () => {
    const body = (await get('/api/v1/alerts', VENDOR)) as Array<{ type: string; deviceId: string }>;
    expect(JSON.stringify(body)).not.toMatch(LEAKS);
    expect(body.map((a) => [a.type, a.deviceId])).toEqual([['device.fault', 'hvac-main']]);
  });

  it('has the same and nothing more in its own document', async () => {
    const view = await open(vendorDocName('demo', 'vendor'), await t.token(VENDOR));
    await eventually(() => new VendorDoc(view.doc).alerts().length > 0, 5000, 'vendor view');
    expect(new VendorDoc(view.doc).alerts().map((a) => a.deviceId)).toEqual(['hvac-main']);
    const everything = JSON.stringify(Object.fromEntries([...view.doc.share.keys()].map((k) => [k, view.doc.getMap(k).toJSON()])));
    expect(everything).not.toMatch(LEAKS);
  });
});
