import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { edgeHealth, startEdgeProcess, type EdgeProcess } from '../testing/edge-process';
import { MqttDevices } from '../testing/mqtt-devices';

/**
 * CONTRACT.md §6 through the cloud, with a real edge started without a commissioning window: a new
 * reader is pending and opens nothing until a person admits it; a window opened from the cloud
 * admits what announces itself meanwhile; with the edge gone an approval fails at once.
 */
let t: TestCloud;
let edgeDir: string;
let edge: EdgeProcess | undefined;
let devices: MqttDevices | undefined;

const failWithLogs = (err: unknown): never => {
  throw new Error(`${(err as Error).message}\n--- edge output ---\n${edge?.lines.slice(-40).join('\n') ?? ''}`);
};

type Listed = Array<{ id: string; approval: string; zoneId?: string }>;
const listed = async (token: string): Promise<Listed> => (await (await t.api('GET', '/api/v1/sites/gangnam/devices', { token })).json()) as Listed;

beforeAll(async () => {
  t = await startTestCloud();
  edgeDir = mkdtempSync(join(tmpdir(), 'edge-admission-'));
  const issued = await t.api('POST', '/api/v1/sites/gangnam/edge-tokens', { token: await t.token('admin@demo.local') });
  const cloudUrl = (await t.cloud.listen(0)).url;
  edge = await startEdgeProcess({ siteId: 'gangnam', cloudUrl, token: ((await issued.json()) as { token: string }).token, dataDir: edgeDir, commissioning: false }).catch(failWithLogs);
  await eventually(async () => (await edgeHealth(edge!)).cloud === 'connected', 20_000, 'edge linked').catch(failWithLogs);
  devices = await MqttDevices.connect(edge.mqttUrl, 'gangnam');
}, 60_000);

afterAll(async () => {
  await devices?.client.endAsync(true);
  await edge?.service.stop();
  await t?.close();
  if (edgeDir) rmSync(edgeDir, { recursive: true, force: true });
});

describe('device admission through the cloud', () => {
  it('keeps a new reader pending until the site manager admits it; a window from the cloud admits what announces itself', { timeout: 60_000 }, async () => {
    const manager = await t.token('gangnam.manager@demo.local');
    await devices!.announce({ id: 'door-new', kind: 'door', name: 'New door', zoneId: 'lobby' });
    await devices!.announce({ id: 'reader-new', kind: 'reader', name: 'New reader', zoneId: 'lobby', doorId: 'door-new' });
    await eventually(async () => (await listed(manager)).filter((d) => d.id.endsWith('-new') && d.approval === 'pending').length === 2, 10_000, 'pending devices listed').catch(failWithLogs);
    expect(await devices!.swipe('reader-new', 'card-0001')).toMatchObject({ granted: false, reason: 'device-pending' });

    // An HQ operator or a vendor cannot admit devices; an unknown device is 404.
    const approve = (token: string, id: string, body: unknown = {}) => t.api('POST', `/api/v1/sites/gangnam/devices/${id}/approve`, { token, body });
    expect((await approve(await t.token('hq@demo.local'), 'reader-new')).status).toBe(403);
    expect((await approve(await t.token('vendor@demo.local'), 'reader-new')).status).toBe(403);
    expect((await approve(manager, 'reader-ghost')).status).toBe(404);
    expect(await devices!.swipe('reader-new', 'card-0001')).toMatchObject({ reason: 'device-pending' });

    const ok = await approve(manager, 'reader-new', { zoneId: 'lobby' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: 'reader-new', approval: 'approved', zoneId: 'lobby' });
    expect((await approve(manager, 'door-new')).status).toBe(200);
    expect(await devices!.swipe('reader-new', 'card-0001')).toMatchObject({ granted: true });

    // Only a tenant admin opens a window; devices announced within it are admitted at once.
    expect((await t.api('POST', '/api/v1/sites/gangnam/commissioning', { token: manager, body: { minutes: 5 } })).status).toBe(403);
    const opened = await t.api('POST', '/api/v1/sites/gangnam/commissioning', { token: await t.token('admin@demo.local'), body: { minutes: 5 } });
    expect(opened.status).toBe(200);
    await devices!.announce({ id: 'reader-win', kind: 'reader', name: 'Window reader', zoneId: 'lobby', doorId: 'door-new' });
    await eventually(async () => (await listed(manager)).some((d) => d.id === 'reader-win' && d.approval === 'approved'), 10_000, 'admitted in the window').catch(failWithLogs);
    expect(await devices!.swipe('reader-win', 'card-0001')).toMatchObject({ granted: true });

    const audit = (await (await t.api('GET', '/api/v1/audit?siteId=gangnam', { token: manager })).json()) as Array<{ action: string; target: string }>;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'device.approve', target: 'gangnam/reader-new' }));
    expect(audit).toContainEqual(expect.objectContaining({ action: 'commissioning.open', target: 'gangnam' }));
  });

  it('fails an approval at once when the edge is not connected', { timeout: 30_000 }, async () => {
    await edge!.service.stop();
    const manager = await t.token('gangnam.manager@demo.local');
    await eventually(async () => (await t.api('POST', '/api/v1/sites/gangnam/devices/reader-new/approve', { token: manager, body: {} })).status === 503, 10_000, 'offline answer');
  });
});
