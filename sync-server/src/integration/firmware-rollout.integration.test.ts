import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Service } from '@cr/demo/processes';
import { eventually, seedOtherTenant, startTestCloud, type TestCloud } from '../testing/test-cloud';
import { edgeHealth, startEdgeProcess, type EdgeProcess } from '../testing/edge-process';

/**
 * CONTRACT.md §6, firmware, end to end: the cloud, a real edge process with its broker and the
 * real simulator process. What devices receive is watched on MQTT by a subscriber of the `ota`
 * topics (the broker delivers each offer to every subscriber, the devices and this one alike).
 */
let t: TestCloud;
let edgeDir: string;
let edge: EdgeProcess | undefined;
let sim: Service | undefined;
let simUrl = '';
let watcher: MqttClient | undefined;
const offers: Array<{ deviceId: string; version: string }> = [];

const failWithLogs = (err: unknown): never => {
  throw new Error(`${(err as Error).message}\n--- edge output ---\n${edge?.lines.slice(-40).join('\n') ?? ''}`);
};
const SHA = 'b'.repeat(64);
type Rollout = { id: string; state: string; devices: Array<{ deviceId: string; state: string; error?: string }> };
type Listed = Array<{ id: string; kind: string; firmware?: string }>;

const admin = () => t.token('admin@demo.local');
const start = async (body: Record<string, unknown>, token?: string) => t.api('POST', '/api/v1/sites/gangnam/firmware-rollouts', { token: token ?? (await admin()), body });
const rollout = async (id: string, token?: string): Promise<Rollout> => (await (await t.api('GET', `/api/v1/firmware-rollouts/${id}`, { token: token ?? (await admin()) })).json()) as Rollout;
const listed = async (): Promise<Listed> => (await (await t.api('GET', '/api/v1/sites/gangnam/devices', { token: await admin() })).json()) as Listed;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let spare: string[] = [];

beforeAll(async () => {
  t = await startTestCloud();
  await seedOtherTenant(t.cloud);
  edgeDir = mkdtempSync(join(tmpdir(), 'edge-firmware-'));
  const issued = await t.api('POST', '/api/v1/sites/gangnam/edge-tokens', { token: await admin() });
  const cloudUrl = (await t.cloud.listen(0)).url;
  edge = await startEdgeProcess({ siteId: 'gangnam', cloudUrl, token: ((await issued.json()) as { token: string }).token, dataDir: edgeDir }).catch(failWithLogs);
  await eventually(async () => (await edgeHealth(edge!)).cloud === 'connected', 20_000, 'edge linked').catch(failWithLogs);
  watcher = await mqtt.connectAsync(edge.mqttUrl, { reconnectPeriod: 0 });
  watcher.on('message', (topic, payload) => {
    const deviceId = topic.split('/')[3]!;
    offers.push({ deviceId, version: (JSON.parse(payload.toString()) as { version: string }).version });
  });
  await watcher.subscribeAsync('cr/gangnam/devices/+/ota', { qos: 1 });
  sim = startService({
    name: 'sim gangnam',
    entry: 'edge/src/sim/main.ts',
    args: ['--site', 'gangnam', '--mqtt-url', edge.mqttUrl, '--rate', '0', '--control-port', '0'],
    ready: [/sim gangnam control on (http:\/\/\S+)/],
    readyTimeoutMs: 30_000,
  });
  simUrl = (await sim.ready)[0]![1]!;
  // Devices that hold no door (env, lights, HVAC, meters): updated whatever the site's mode.
  await eventually(async () => (await listed()).filter((d) => ['env', 'light', 'hvac', 'power', 'pir', 'camera'].includes(d.kind)).length >= 6, 20_000, 'simulated devices listed').catch(failWithLogs);
  spare = (await listed()).filter((d) => ['env', 'light', 'hvac', 'power', 'pir', 'camera'].includes(d.kind)).map((d) => d.id);
}, 90_000);

afterAll(async () => {
  await watcher?.endAsync(true);
  await sim?.stop();
  await edge?.service.stop();
  await t?.close();
  if (edgeDir) rmSync(edgeDir, { recursive: true, force: true });
});

describe('firmware rollouts', () => {
  it('aborts once the first device fails: later batches are skipped and never receive the update', { timeout: 60_000 }, async () => {
    const ids = spare.slice(0, 4);
    await fetch(`${simUrl}/ota-fail/${ids[0]}`, { method: 'POST' });
    const res = await start({ deviceIds: ids, version: '2.0.0', url: 'https://fw.example/2.0.0.bin', sha256: SHA, batchSize: 2, maxFailures: 0 });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await eventually(async () => (await rollout(id)).state === 'aborted', 15_000, 'rollout aborted').catch(failWithLogs);
    // The second device of the first batch ends as it does; give late traffic time to show.
    await eventually(async () => ['done', 'failed'].includes((await rollout(id)).devices[1]!.state), 15_000, 'first batch settled');
    await sleep(1_500);
    const r = await rollout(id);
    expect(r.devices[0]).toMatchObject({ deviceId: ids[0], state: 'failed', error: 'image checksum mismatch' });
    expect(r.devices[1]).toMatchObject({ deviceId: ids[1], state: 'done' });
    expect(r.devices.slice(2).map((d) => d.state)).toEqual(['skipped', 'skipped']);
    const got = offers.filter((o) => o.version === '2.0.0').map((o) => o.deviceId);
    expect(got.sort()).toEqual([ids[0], ids[1]].sort());
    for (const skipped of ids.slice(2)) expect(got).not.toContain(skipped);
  });

  it('ends done with every device re-announcing the new version', { timeout: 60_000 }, async () => {
    const ids = spare.slice(4, 6);
    const res = await start({ deviceIds: ids, version: '3.1.0', url: 'https://fw.example/3.1.0.bin', sha256: SHA, batchSize: 1, maxFailures: 0 });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await eventually(async () => (await rollout(id)).state === 'done', 20_000, 'rollout done').catch(failWithLogs);
    expect((await rollout(id)).devices.map((d) => d.state)).toEqual(['done', 'done']);
    await eventually(async () => (await listed()).filter((d) => ids.includes(d.id)).every((d) => d.firmware === '3.1.0'), 10_000, 'firmware listed');
    // A site manager of the site follows it; a vendor may not.
    expect((await rollout(id, await t.token('gangnam.manager@demo.local'))).state).toBe('done');
    expect((await t.api('GET', `/api/v1/firmware-rollouts/${id}`, { token: await t.token('vendor@demo.local') })).status).toBe(403);
    expect((await t.api('GET', `/api/v1/firmware-rollouts/${id}`, { token: await t.token('admin@acme.test') })).status).toBe(404);
    const audit = (await (await t.api('GET', '/api/v1/audit?siteId=gangnam', { token: await admin() })).json()) as Array<{ action: string; target: string }>;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'firmware.rollout', target: 'gangnam' }));
  });

  it('never delivers an ota offer forged by a client that is not the edge', { timeout: 20_000 }, async () => {
    const forger = await mqtt.connectAsync(edge!.mqttUrl, { reconnectPeriod: 0 });
    forger.on('error', () => undefined);
    const target = spare[6] ?? spare[0]!;
    // The broker drops the publish and disconnects the forger, so its acknowledgement never comes.
    forger.publish(`cr/gangnam/devices/${target}/ota`, JSON.stringify({ id: 'evil', version: '6.6.6', url: 'https://evil.example/x.bin', sha256: SHA }), { qos: 1 });
    await sleep(1_500);
    expect(offers.some((o) => o.version === '6.6.6')).toBe(false);
    forger.end(true);
  });

  it('refuses malformed bodies, unknown devices, other roles and other tenants', { timeout: 20_000 }, async () => {
    const ok = { deviceIds: [spare[0]], version: '4.0.0', url: 'https://fw.example/4.bin', sha256: SHA, batchSize: 1, maxFailures: 0 };
    for (const bad of [{}, { ...ok, sha256: 'xyz' }, { ...ok, batchSize: 0 }, { ...ok, maxFailures: -1 }, { ...ok, deviceIds: [] }, { ...ok, url: 'ftp://x/y' }, { ...ok, extra: 1 }]) {
      const res = await start(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const unknown = await start({ ...ok, deviceIds: ['ghost-1'] });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain('ghost-1');
    expect((await start(ok, await t.token('hq@demo.local'))).status).toBe(403);
    expect((await start(ok, await t.token('gangnam.manager@demo.local'))).status).toBe(403);
    expect((await t.api('POST', '/api/v1/sites/gangnam/firmware-rollouts', { token: await t.token('admin@acme.test'), body: ok })).status).toBe(404);
    expect((await t.api('POST', '/api/v1/sites/nowhere/firmware-rollouts', { token: await admin(), body: ok })).status).toBe(404);
    expect((await t.api('GET', '/api/v1/firmware-rollouts/00000000-0000-4000-8000-000000000000', { token: await admin() })).status).toBe(404);
  });
});
