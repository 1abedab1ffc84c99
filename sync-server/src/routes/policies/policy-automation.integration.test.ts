import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, deviceTopic } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { startEdgeProcess, type EdgeProcess } from '../../testing/edge-process';
import { fakeClockAvailable, fastClockEnv } from '../../testing/fake-clock';
import { CloudApi } from '../../onboard/cloud-api';

/**
 * A site automation on a real edge process whose clock runs 60× faster than real time
 * (libfaketime): "lights off when the meeting room has been empty for 10 minutes" fires from the
 * policy the edge stored, with the cloud gone, and commands the light over MQTT.
 */
const SITE = 'yeonnam';
const RATE = 60;
const NOT_BEFORE_REAL_MS = (9.5 * 60_000) / RATE;

let t: TestCloud;
let dir: string;
let edge: EdgeProcess | undefined;
let devices: MqttClient | undefined;

const scenarioPolicy = {
  openingHours: {},
  scenarios: [{ id: 'meeting-lights-off', trigger: { kind: 'zone-empty', zoneId: 'meeting', forMin: 10 }, actions: [{ kind: 'device', deviceId: 'light-1', action: 'off' }] }],
};

/** The site's devices on one connection that never pings: the broker's keep-alive runs on the edge's fast clock. */
async function connectDevices(mqttUrl: string): Promise<{ client: MqttClient; lightCommands: Array<{ at: number; cmd: Record<string, unknown> }> }> {
  const client = await mqtt.connectAsync(mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, keepalive: 0 });
  const lightCommands: Array<{ at: number; cmd: Record<string, unknown> }> = [];
  client.on('message', (topic, payload) => {
    if (topic === deviceTopic(SITE, 'light-1', 'cmd')) lightCommands.push({ at: Date.now(), cmd: JSON.parse(payload.toString('utf8')) as Record<string, unknown> });
  });
  await client.subscribeAsync(deviceTopic(SITE, 'light-1', 'cmd'), { qos: 1 });
  for (const config of [
    { id: 'pir-1', kind: 'pir', name: 'Meeting room motion', zoneId: 'meeting' },
    { id: 'light-1', kind: 'light', name: 'Meeting room light', zoneId: 'meeting' },
  ])
    await client.publishAsync(deviceTopic(SITE, config.id, 'config'), JSON.stringify(config), { qos: 1, retain: true });
  return { client, lightCommands };
}

const motion = (client: MqttClient, on: boolean) => client.publishAsync(deviceTopic(SITE, 'pir-1', 'state'), JSON.stringify({ motion: on, ts: Date.now() }), { qos: 1 });

describe.runIf(fakeClockAvailable())('site automation on a simulated clock', () => {
  beforeAll(async () => {
    t = await startTestCloud();
    const url = (await t.cloud.listen(0)).url;
    dir = mkdtempSync(join(tmpdir(), 'policy-clock-'));
    const admin = await CloudApi.login(url, 'admin@demo.local', DEMO_PASSWORD);
    await admin.expect([201], 'POST', '/api/v1/sites', { id: SITE, name: '연남 Yeonnam', lat: 37.562, lng: 126.925, timezone: 'Asia/Seoul' });
    await admin.expect([200], 'PUT', `/api/v1/sites/${SITE}/zones/meeting`, { name: '회의실' });
    const { token } = await admin.expect<{ token: string }>([201], 'POST', `/api/v1/sites/${SITE}/edge-tokens`);
    // First on real time, linked: the edge receives the policy and stores it as its last good version.
    edge = await startEdgeProcess({ siteId: SITE, cloudUrl: url, token, dataDir: dir });
    const { id } = await admin.expect<{ id: string }>([201], 'POST', '/api/v1/policies', { name: 'Lights off when empty', body: scenarioPolicy });
    await admin.expect([202], 'POST', `/api/v1/policies/${id}/rollouts`, { version: 1, siteIds: [SITE] });
    await eventually(async () => expect(await admin.expect([200], 'GET', `/api/v1/sites/${SITE}/policy`)).toMatchObject({ appliedVersion: 1, status: 'applied' }), 10_000);
    await edge.service.stop();
    // Then alone (no cloud answers) on a clock 60× faster: ten site minutes pass in ten seconds.
    edge = await startEdgeProcess({ siteId: SITE, cloudUrl: 'http://127.0.0.1:9', token, dataDir: dir, env: fastClockEnv(RATE) });
    devices = (await connectDevices(edge.mqttUrl)).client;
  }, 90_000);
  afterAll(async () => {
    await devices?.endAsync(true);
    await edge?.service.stop();
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('turns the light off once the room has been empty for 10 minutes, not before, from the stored policy with the cloud gone', async () => {
    await devices!.endAsync(true);
    const site = await connectDevices(edge!.mqttUrl);
    devices = site.client;
    await motion(site.client, true);
    await new Promise((r) => setTimeout(r, 300));
    const quietAt = Date.now();
    await motion(site.client, false);
    await eventually(async () => expect(site.lightCommands.length).toBeGreaterThan(0), 30_000, 'a command to the light');
    const first = site.lightCommands[0]!;
    expect(first.cmd).toMatchObject({ action: 'off' });
    expect(String(first.cmd.reason)).toContain('meeting-lights-off');
    // Nothing commanded the light before the room had been quiet for (about) ten site minutes.
    expect(first.at - quietAt).toBeGreaterThanOrEqual(NOT_BEFORE_REAL_MS);
    // Once per empty spell: a further (site) minute of quiet sends nothing more.
    await new Promise((r) => setTimeout(r, 60_000 / RATE + 500));
    expect(site.lightCommands).toHaveLength(1);
  }, 60_000);
});
