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
 * Per-device MQTT logins (CONTRACT.md §6) on a real cloud and a real edge whose embedded broker is
 * closed (`--mqtt-closed`): issued before a device first connects or at its approval, each speaking
 * for its own device only, revocable at once and while the edge is away.
 */
const SITE = 'mapo';
const site = `/api/v1/sites/${SITE}`;
type Issued = { username: string; password: string; delivered: boolean };
let t: TestCloud;
let url: string;
let dir: string;
let edge: EdgeProcess;
let admin: CloudApi;
const open: MqttDevices[] = [];

const connect = async (login: Issued | { username: string; password: string }, deviceIds: string[]) => {
  const d = await MqttDevices.connect(edge.mqttUrl, SITE, { ...login, deviceIds });
  open.push(d);
  return d;
};
const refused = (login: { username: string; password: string }) => MqttDevices.connect(edge.mqttUrl, SITE, { ...login, deviceIds: [] }).then(
  async (d) => {
    await d.close();
    return false;
  },
  () => true,
);
const device = async (id: string) => (await admin.expect<Array<{ id: string; approval: string; zoneId?: string }>>([200], 'GET', `${site}/devices`)).find((d) => d.id === id);
const startEdge = async (token: string) => {
  edge = await startEdgeProcess({ siteId: SITE, cloudUrl: url, token, dataDir: dir, commissioning: false, flags: ['--mqtt-closed'] });
};
let token: string;

beforeAll(async () => {
  t = await startTestCloud();
  url = (await t.cloud.listen(0)).url;
  dir = mkdtempSync(join(tmpdir(), 'device-logins-'));
  admin = await CloudApi.login(url, 'admin@demo.local', DEMO_PASSWORD);
  await admin.expect([201], 'POST', '/api/v1/sites', { id: SITE, name: '마포 Mapo', lat: 37.556, lng: 126.91, timezone: 'Asia/Seoul' });
  await admin.expect([200], 'PUT', `${site}/zones/lobby`, { name: '로비' });
  await admin.expect([200, 201], 'PUT', '/api/v1/members/m-lobby', {
    name: 'Lobby member',
    active: true,
    secureMode: false,
    offlineWhitelist: false,
    credentials: [{ type: 'card', value: 'card-lobby' }],
    grants: [{ zoneIds: ['lobby'] }],
  });
  ({ token } = await admin.expect<{ token: string }>([201], 'POST', `${site}/edge-tokens`));
  await startEdge(token);
  await eventually(async () => (await admin.call<{ online: boolean }>('GET', site)).body.online || undefined, 20_000, 'edge online');
}, 90_000);
afterAll(async () => {
  for (const d of open) await d.close().catch(() => undefined);
  await edge?.service.stop();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('per-device MQTT logins on a closed embedded broker', () => {
  let doorLogin: Issued;
  let readerLogin: Issued;
  let door: MqttDevices;
  let reader: MqttDevices;

  it('refuses a client without a login, and one with a made-up login', async () => {
    expect(await refused({ username: '', password: '' })).toBe(true);
    expect(await refused({ username: 'dev.door-1', password: 'guessed-password-123' })).toBe(true);
  });

  it('a login issued before the device first connects lets it announce itself and only itself; approval places it', { timeout: 30_000 }, async () => {
    doorLogin = await admin.expect<Issued>([201], 'POST', `${site}/devices/door-1/mqtt-login`);
    readerLogin = await admin.expect<Issued>([201], 'POST', `${site}/devices/reader-1/mqtt-login`);
    expect(doorLogin).toMatchObject({ username: 'dev.door-1', delivered: true });
    expect(doorLogin.password.length).toBeGreaterThanOrEqual(32);
    door = await connect(doorLogin, ['door-1']);
    await door.announce({ id: 'door-1', kind: 'door', name: 'Door 1', zoneId: 'lobby' });
    reader = await connect(readerLogin, ['reader-1']);
    await reader.announce({ id: 'reader-1', kind: 'reader', name: 'Reader 1', zoneId: 'lobby', doorId: 'door-1' });
    await eventually(() => device('reader-1'), 10_000, 'reader listed');
    await admin.expect([200], 'POST', `${site}/devices/door-1/approve`, { zoneId: 'lobby' });
    await admin.expect([200], 'POST', `${site}/devices/reader-1/approve`, { zoneId: 'lobby' });
    expect(await reader.swipe('reader-1', 'card-lobby')).toMatchObject({ granted: true });
    // The list shows who holds a login, never a secret.
    const list = await admin.expect<Array<Record<string, unknown>>>([200], 'GET', `${site}/mqtt-logins`);
    expect(list.map((l) => l.deviceId)).toEqual(['door-1', 'reader-1']);
    expect(JSON.stringify(list)).not.toContain(doorLogin.password);
    expect(JSON.stringify(list)).not.toContain('scrypt');
  });

  it("a device's login cannot speak for another device: the reader announcing a fire panel is dropped and nothing is listed", { timeout: 20_000 }, async () => {
    const rogue = await connect(readerLogin, ['reader-1']);
    const closed = new Promise<void>((resolve) => rogue.client.once('close', () => resolve()));
    // Not awaited: the broker drops the connection instead of acknowledging.
    void rogue.announce({ id: 'fire-1', kind: 'fire-panel', name: 'Fire panel' }).catch(() => undefined);
    await closed;
    await new Promise((r) => setTimeout(r, 1500));
    expect(await device('fire-1')).toBeUndefined();
  });

  it('approving with a new login rotates it: the old password stops working and its connection ends', { timeout: 20_000 }, async () => {
    const closed = new Promise<void>((resolve) => reader.client.once('close', () => resolve()));
    const approved = await admin.expect<{ mqttLogin: Issued }>([200], 'POST', `${site}/devices/reader-1/approve`, { zoneId: 'lobby', mqttLogin: true });
    expect(approved.mqttLogin).toMatchObject({ username: 'dev.reader-1', delivered: true });
    await closed;
    expect(await refused(readerLogin)).toBe(true);
    reader = await connect(approved.mqttLogin, ['reader-1']);
    expect(await reader.swipe('reader-1', 'card-lobby')).toMatchObject({ granted: true });
    readerLogin = approved.mqttLogin;
  });

  it('revoking a login closes its connection at once and refuses it after', { timeout: 20_000 }, async () => {
    const closed = new Promise<void>((resolve) => reader.client.once('close', () => resolve()));
    expect(await admin.expect([200], 'DELETE', `${site}/devices/reader-1/mqtt-login`)).toEqual({ revoked: true, delivered: true });
    await closed;
    expect(await refused(readerLogin)).toBe(true);
    expect((await admin.call('DELETE', `${site}/devices/reader-1/mqtt-login`)).status).toBe(404);
  });

  it('a revocation made while the edge is away takes effect when it is back; logins kept in force survive its restart', { timeout: 60_000 }, async () => {
    await edge.service.stop();
    expect(await admin.expect([200], 'DELETE', `${site}/devices/door-1/mqtt-login`)).toEqual({ revoked: true, delivered: false });
    const late = await admin.expect<Issued>([201], 'POST', `${site}/devices/reader-1/mqtt-login`);
    expect(late.delivered).toBe(false);
    await startEdge(token);
    await eventually(async () => ((await refused(doorLogin)) ? true : undefined), 15_000, 'revoked door login refused');
    reader = await connect(late, ['reader-1']);
    expect(await reader.swipe('reader-1', 'card-lobby')).toMatchObject({ granted: true });
  });

  it('only those who admit devices issue logins: vendors and HQ are refused, another tenant sees nothing', async () => {
    const vendor = await CloudApi.login(url, 'vendor@demo.local', DEMO_PASSWORD);
    const hq = await CloudApi.login(url, 'hq@demo.local', DEMO_PASSWORD);
    for (const who of [vendor, hq]) {
      expect([403, 404]).toContain((await who.call('POST', `${site}/devices/door-1/mqtt-login`)).status);
      expect([403, 404]).toContain((await who.call('GET', `${site}/mqtt-logins`)).status);
    }
    expect((await admin.call('POST', `${site}/devices/NOT%20AN%20ID/mqtt-login`)).status).toBe(400);
  });
});
