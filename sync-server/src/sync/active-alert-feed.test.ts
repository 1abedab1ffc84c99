import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { TenantDoc, acknowledgeAlert, alertId, raiseAlert, resolveAlert, siteDocName, tenantDocName, type ActiveAlert } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { connectProvider, whenSynced } from '../testing/sync-clients';

const HQ = 'hq@demo.local';
let t: TestCloud;
let url: string;
const providers: WebsocketProvider[] = [];
const open = async (doc: string, token: string) => {
  const p = connectProvider(url, doc, token);
  providers.push(p);
  await whenSynced(p);
  return p;
};
const inFeed = (p: WebsocketProvider, id: string): ActiveAlert | undefined => new TenantDoc(p.doc).activeAlerts().find((a) => a.id === id);

beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
});
afterAll(async () => {
  for (const p of providers) p.destroy();
  await t.close();
});

describe('the tenant-wide feed of active alerts (every HQ console follows it)', () => {
  it('carries an alarm an edge raised to a console that has no site document open, follows its ack and drops it once resolved', async () => {
    const hq = await open(tenantDocName('demo'), await t.token(HQ));
    const edge = await open(siteDocName('demo', 'yeouido'), t.cloud.demoEdgeTokens['yeouido']!);
    const id = alertId('yeouido', 'door-lobby', 'door.forced', Date.now());
    const raisedAt = Date.now();
    raiseAlert(edge.doc, { id, siteId: 'yeouido', type: 'door.forced', severity: 'critical', deviceId: 'door-lobby', raisedAt, source: 'edge' });
    const shown = await eventually(() => inFeed(hq, id), 2_000, 'alarm in the feed');
    expect(Date.now() - raisedAt).toBeLessThan(2_000);
    expect(shown).toMatchObject({ siteId: 'yeouido', severity: 'critical', category: 'security', state: 'open', deviceId: 'door-lobby', causeCleared: false });

    const operator = await open(siteDocName('demo', 'yeouido'), await t.token(HQ));
    acknowledgeAlert(operator.doc, id, { by: HQ, at: Date.now(), where: 'hq' });
    await eventually(() => inFeed(hq, id)?.state === 'acknowledged', 2_000, 'ack in the feed');
    resolveAlert(operator.doc, id, { by: HQ, at: Date.now(), where: 'hq' });
    await eventually(() => inFeed(hq, id) === undefined, 2_000, 'resolved alarm leaves the feed');
  });

  it('a console cannot plant an alarm in the feed, and roles that do not see every site cannot open it', async () => {
    const hq = await open(tenantDocName('demo'), await t.token(HQ));
    const fake: ActiveAlert = { id: 'gangnam.x.fire.alarm.1', siteId: 'gangnam', type: 'fire.alarm', category: 'safety', severity: 'critical', state: 'open', raisedAt: 1, causeCleared: false };
    new TenantDoc(hq.doc).setActiveAlerts('gangnam', [fake]);
    const other = await open(tenantDocName('demo'), await t.token('admin@demo.local'));
    // A later genuine change reaches the second console: the forged one was handled before it.
    const edge = await open(siteDocName('demo', 'hongdae'), t.cloud.demoEdgeTokens['hongdae']!);
    const real = alertId('hongdae', 'env-office', 'device.offline', Date.now());
    raiseAlert(edge.doc, { id: real, siteId: 'hongdae', type: 'device.offline', severity: 'minor', deviceId: 'env-office', raisedAt: Date.now(), source: 'edge' });
    await eventually(() => inFeed(other, real), 2_000, 'genuine alert in the feed');
    expect(inFeed(other, fake.id)).toBeUndefined();
    expect(await t.cloud.ctx.docs.read(tenantDocName('demo'), (d) => new TenantDoc(d).activeAlerts().some((a) => a.id === fake.id))).toBe(false);

    for (const who of ['gangnam.manager@demo.local', 'vendor@demo.local']) {
      const p = connectProvider(url, tenantDocName('demo'), await t.token(who));
      providers.push(p);
      const closed = await new Promise<number>((resolve) => p.on('connection-close', (e: { code: number } | null) => resolve(e?.code ?? 0)));
      expect(closed).not.toBe(1000);
      expect(new TenantDoc(p.doc).activeAlerts()).toEqual([]);
    }
  });
});
