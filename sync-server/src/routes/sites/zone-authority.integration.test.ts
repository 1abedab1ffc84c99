import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { startEdgeProcess, type EdgeProcess } from '../../testing/edge-process';
import { MqttDevices } from '../../testing/mqtt-devices';
import { CloudApi } from '../../onboard/cloud-api';

/**
 * The zones a site's cloud records are the ones its edge decides by (CONTRACT.md §6): a real cloud,
 * a real edge process and MQTT devices. Renaming, moving and removing go through the API as the
 * console does; every check is an access decision at the door.
 */
const SITE = 'seongsu';
let t: TestCloud;
let url: string;
let dir: string;
let edge: EdgeProcess;
let devices: MqttDevices;
let admin: CloudApi;
const site = `/api/v1/sites/${SITE}`;
type Device = { id: string; zoneId?: string; approval: string; claimedZoneId?: string };
const device = async (id: string) => (await admin.expect<Device[]>([200], 'GET', `${site}/devices`)).find((d) => d.id === id);

beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
  dir = mkdtempSync(join(tmpdir(), 'zones-'));
  admin = await CloudApi.login(url, 'admin@demo.local', DEMO_PASSWORD);
  await admin.expect([201], 'POST', '/api/v1/sites', { id: SITE, name: '성수 Seongsu', lat: 37.5446, lng: 127.0559, timezone: 'Asia/Seoul' });
  for (const [id, name] of [['lobby', '로비'], ['studio', '스튜디오']]) await admin.expect([200], 'PUT', `${site}/zones/${id}`, { name });
  await admin.expect([200, 201], 'PUT', '/api/v1/members/m-studio', {
    name: 'Studio member',
    active: true,
    secureMode: false,
    offlineWhitelist: false,
    credentials: [{ type: 'card', value: 'card-studio' }],
    grants: [{ zoneIds: ['studio'] }],
  });
  const { token } = await admin.expect<{ token: string }>([201], 'POST', `${site}/edge-tokens`);
  edge = await startEdgeProcess({ siteId: SITE, cloudUrl: url, token, dataDir: dir, commissioning: true });
  devices = await MqttDevices.connect(edge.mqttUrl, SITE);
  await devices.announce({ id: 'door-1', kind: 'door', name: 'Door 1', zoneId: 'lobby' });
  await devices.announce({ id: 'reader-1', kind: 'reader', name: 'Reader 1', zoneId: 'lobby', doorId: 'door-1' });
  await devices.announce({ id: 'door-x', kind: 'door', name: 'Door X', zoneId: 'vault' });
  await eventually(async () => expect((await device('reader-1'))?.approval).toBe('approved'), 20_000);
}, 90_000);
afterAll(async () => {
  await devices?.close();
  await edge?.service.stop();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the site's zones decide where doors are", () => {
  it('a door naming a zone the site does not have is pending, even admitted during commissioning', async () => {
    await eventually(async () => expect(await device('door-x')).toMatchObject({ approval: 'pending', claimedZoneId: 'vault' }));
    expect((await device('door-x'))?.zoneId).toBeUndefined();
    const refused = await admin.call('POST', `${site}/devices/door-x/approve`, { zoneId: 'vault' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('no zone vault');
  });

  it('renaming a zone keeps its doors in it; moving the door in the console changes the zone its next decision is made for', { timeout: 30_000 }, async () => {
    expect(await devices.swipe('reader-1', 'card-studio')).toMatchObject({ granted: false, reason: 'no-grant' });
    await admin.expect([200], 'PUT', `${site}/zones/lobby`, { name: '라운지 Lounge' });
    expect((await device('door-1'))?.zoneId).toBe('lobby');
    expect(await devices.swipe('reader-1', 'card-studio')).toMatchObject({ granted: false, reason: 'no-grant' });

    const moved = await admin.expect<Device>([200], 'POST', `${site}/devices/door-1/zone`, { zoneId: 'studio' });
    expect(moved.zoneId).toBe('studio');
    expect(await devices.swipe('reader-1', 'card-studio')).toMatchObject({ granted: true });
  });

  it('removing a zone that holds devices asks what to do with them, then does it', { timeout: 30_000 }, async () => {
    const asked = await admin.call<{ message: string }>('DELETE', `${site}/zones/studio`);
    expect(asked.status).toBe(409);
    expect(asked.body.message).toContain('door-1');
    expect((await admin.call('DELETE', `${site}/zones/studio?devices=move`)).status).toBe(400);
    expect((await admin.call('DELETE', `${site}/zones/studio?devices=move&to=studio`)).status).toBe(400);

    const done = await admin.expect<{ moved: string[] }>([200], 'DELETE', `${site}/zones/studio?devices=move&to=lobby`);
    expect(done.moved).toEqual(['door-1']);
    expect(await devices.swipe('reader-1', 'card-studio')).toMatchObject({ granted: false, reason: 'no-grant' });
    expect((await admin.expect<Array<{ id: string }>>([200], 'GET', `${site}/zones`)).map((z) => z.id)).toEqual(['lobby']);

    await admin.expect([200], 'PUT', `${site}/zones/annex`, { name: 'Annex' });
    await admin.expect([200], 'POST', `${site}/devices/door-1/zone`, { zoneId: 'annex' });
    const unassigned = await admin.expect<{ unassigned: string[] }>([200], 'DELETE', `${site}/zones/annex?devices=unassign`);
    expect(unassigned.unassigned).toEqual(['door-1']);
    await eventually(async () => expect((await device('door-1'))?.approval).toBe('pending'));
    expect(await devices.swipe('reader-1', 'card-studio')).toMatchObject({ granted: false, reason: 'device-pending' });
  });

  it('vendors and the managers of other sites change no zones; bad input is named', async () => {
    const vendor = await CloudApi.login(url, 'vendor@demo.local', DEMO_PASSWORD);
    const otherManager = await CloudApi.login(url, 'gangnam.manager@demo.local', DEMO_PASSWORD);
    for (const who of [vendor, otherManager]) {
      expect((await who.call('DELETE', `${site}/zones/lobby?devices=unassign`)).status).toBe(403);
      expect((await who.call('PUT', `${site}/zones/hacked`, { name: 'x' })).status).toBe(403);
      expect((await who.call('POST', `${site}/devices/reader-1/zone`, { zoneId: 'lobby' })).status).toBe(403);
    }
    expect((await admin.call('DELETE', `${site}/zones/nowhere`)).status).toBe(404);
    expect((await admin.call('DELETE', `${site}/zones/lobby?devices=later`)).status).toBe(400);
    expect((await admin.call('POST', `${site}/devices/ghost/zone`, { zoneId: 'lobby' })).status).toBe(404);
    expect((await admin.expect<Array<{ id: string }>>([200], 'GET', `${site}/zones`)).map((z) => z.id)).toEqual(['lobby']);
  });

  it('only tenant admins create and remove zones (CONTRACT §5); the control room reshapes outlines only', async () => {
    const operator = await CloudApi.login(url, 'hq@demo.local', DEMO_PASSWORD);
    expect((await operator.call('PUT', `${site}/zones/kitchen`, { name: '탕비실 Kitchen' })).status).toBe(403);
    expect((await operator.call('DELETE', `${site}/zones/lobby?devices=unassign`)).status).toBe(403);
    expect((await admin.expect<{ created: boolean }>([200], 'PUT', `${site}/zones/kitchen`, { name: '탕비실 Kitchen' })).created).toBe(true);
    expect((await admin.expect<{ unassigned: string[] }>([200], 'DELETE', `${site}/zones/kitchen`)).unassigned).toEqual([]);
  });
});
