import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportedDevice } from '@cr/shared';
import { OTHER_USERS, seedOtherTenant, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { TestEdge } from '../../testing/edge-client';
import { healthOf } from './fleet-routes';

let t: TestCloud;
let url: string;
const edges: TestEdge[] = [];

beforeAll(async () => {
  t = await startTestCloud();
  await seedOtherTenant(t.cloud);
  url = (await t.cloud.listen(0)).url;
  await report('gangnam', [
    { id: 'door-lobby', kind: 'door', name: 'Lobby door', zoneId: 'lobby', online: true, approval: 'approved', firmware: '2.1.0', model: 'DL-1', battery: 15, lastSeenAt: 5_000 },
    { id: 'reader-new', kind: 'reader', name: 'New reader', zoneId: 'lobby', doorId: 'door-lobby', online: true, approval: 'pending', model: 'RD-9' },
    { id: 'hvac-main', kind: 'hvac', name: 'HVAC', zoneId: 'office', online: false, approval: 'approved', firmware: '1.0.0', model: 'HV-2' },
  ]);
  await report('hongdae', [
    { id: 'door-lobby', kind: 'door', name: 'Lobby door', zoneId: 'lobby', online: true, approval: 'approved', firmware: '2.0.0', model: 'DL-1' },
    { id: 'env-1', kind: 'env', name: 'Climate', zoneId: 'lounge', online: true, approval: 'approved', firmware: '1.0.0', model: 'EN-1', battery: 20, errors24h: 4, flapping: true },
  ]);
});
afterAll(async () => {
  for (const e of edges) e.close();
  await t.close();
});

async function report(site: string, devices: ReportedDevice[]): Promise<void> {
  const edge = await TestEdge.connect(url, t.cloud.demoEdgeTokens[site]!);
  edges.push(edge);
  edge.hello(site);
  await edge.next('welcome');
  edge.devices(devices);
  const ts = Date.now();
  edge.heartbeat({ ts });
  await edge.next('time', (m) => m.echo === ts);
}

const fleet = async (query: string, who = 'hq@demo.local') => {
  const res = await t.api('GET', `/api/v1/devices${query}`, { token: await t.token(who) });
  return { status: res.status, body: (await res.json()) as Array<{ siteId: string; id: string; health: string; firmware?: string }> };
};
const ids = (body: Array<{ siteId: string; id: string }>) => body.map((d) => `${d.siteId}/${d.id}`);

describe('fleet view', () => {
  it('lists every reported device across sites with its health, filtered by kind, model, firmware and health', async () => {
    expect(ids((await fleet('')).body)).toEqual(['gangnam/door-lobby', 'gangnam/hvac-main', 'gangnam/reader-new', 'hongdae/door-lobby', 'hongdae/env-1']);
    expect(ids((await fleet('?model=DL-1')).body)).toEqual(['gangnam/door-lobby', 'hongdae/door-lobby']);
    expect(ids((await fleet('?model=DL-1&firmware=2.0.0')).body)).toEqual(['hongdae/door-lobby']);
    expect(ids((await fleet('?health=pending')).body)).toEqual(['gangnam/reader-new']);
    expect(ids((await fleet('?health=offline')).body)).toEqual(['gangnam/hvac-main']);
    expect(ids((await fleet('?kind=env&siteId=hongdae')).body)).toEqual(['hongdae/env-1']);
  });

  it('carries each device’s last seen, battery, errors of 24 h and flapping; filters flapping and low battery (below 20 %)', async () => {
    const all = (await fleet('')).body as unknown as Array<Record<string, unknown>>;
    expect(all.find((d) => d.siteId === 'gangnam' && d.id === 'door-lobby')).toMatchObject({ battery: 15, lastSeenAt: 5_000, errors24h: 0, flapping: false });
    expect(all.find((d) => d.siteId === 'hongdae' && d.id === 'env-1')).toMatchObject({ battery: 20, errors24h: 4, flapping: true });
    expect(all.find((d) => d.id === 'hvac-main')).not.toHaveProperty('battery');
    expect(ids((await fleet('?health=flapping')).body)).toEqual(['hongdae/env-1']);
    expect(ids((await fleet('?health=low-battery')).body)).toEqual(['gangnam/door-lobby']);
    expect(ids((await fleet('?health=low-battery', 'vendor@demo.local')).body)).toEqual([]);
  });

  it('a pending device is pending whatever it says; a device of an offline site is offline', () => {
    expect(healthOf({ online: true, approval: 'pending' }, true)).toBe('pending');
    expect(healthOf({ online: true, approval: 'approved' }, true)).toBe('online');
    expect(healthOf({ online: true, approval: 'approved' }, false)).toBe('offline');
    expect(healthOf({ online: false, approval: 'approved' }, true)).toBe('offline');
  });

  it('scopes by role and tenant: managers their sites, vendors facility devices, strangers nothing', async () => {
    expect(ids((await fleet('', 'gangnam.manager@demo.local')).body)).toEqual(['gangnam/door-lobby', 'gangnam/hvac-main', 'gangnam/reader-new']);
    expect((await fleet('?siteId=hongdae', 'gangnam.manager@demo.local')).status).toBe(403);
    expect(ids((await fleet('', 'vendor@demo.local')).body)).toEqual(['gangnam/hvac-main', 'hongdae/env-1']);
    const stranger = OTHER_USERS.find((u) => u.role === 'hq-operator')!.email;
    expect((await fleet('', stranger)).body).toEqual([]);
    expect((await fleet('?siteId=gangnam', stranger)).status).toBe(404);
  });

  it('refuses unknown filters and malformed values', async () => {
    for (const q of ['?kind=toaster', '?health=sick', '?siteId=../x', '?colour=red', `?model=${'x'.repeat(121)}`]) expect([q, (await fleet(q)).status]).toEqual([q, 400]);
    const res = await t.api('GET', '/api/v1/devices?health=sick', { token: await t.token('hq@demo.local') });
    expect(((await res.json()) as { message: string }).message).toMatch(/^health: .*low-battery/);
  });
});
