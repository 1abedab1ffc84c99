import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '@cr/shared';
import type { RunningEdge } from '../src/edge';
import { ConfigError, parseEdgeConfig } from '../src/config';
import { hashPassword } from '../src/mqtt/password';
import { startTestEdge, tempDir, uniqueSite } from './support/test-edge';
import { waitFor } from './support/wait';

const DOOR_PASSWORD = 'door-secret-123';
const SIM_PASSWORD = 'site-secret-456';

/** Reads `edge_mqtt_refused_total{why=…}` from the edge's /metrics. */
async function refused(edge: RunningEdge, why: string): Promise<number> {
  const text = await (await fetch(`${edge.httpUrl}/metrics`)).text();
  return Number(new RegExp(`edge_mqtt_refused_total\\{why="${why}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
}

async function forged(edge: RunningEdge): Promise<number> {
  const text = await (await fetch(`${edge.httpUrl}/metrics`)).text();
  return Number(/edge_malformed_messages_total\{kind="forged"\} (\d+)/.exec(text)?.[1] ?? 0);
}

function stored(edge: RunningEdge, id: string): boolean {
  return edge.outbox.nextBatch(10_000)?.events.some((e) => e.id === id) ?? false;
}

describe('embedded broker with --mqtt-users', () => {
  let edge: RunningEdge;
  let site: string;
  const clients: MqttClient[] = [];
  const connect = async (username?: string, password?: string): Promise<MqttClient> => {
    const c = await mqtt.connectAsync(edge.mqttUrl, { clientId: `c-${randomUUID()}`, username, password, reconnectPeriod: 0 });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    site = uniqueSite('auth');
    const file = join(tempDir(), 'mqtt-users.json');
    // A cheap scrypt cost keeps the test fast; the file format is the production one.
    const users = [
      { username: 'door-1', passwordHash: await hashPassword(DOOR_PASSWORD, 2 ** 10), deviceIds: ['door-1', 'reader-1'] },
      { username: 'sim', passwordHash: await hashPassword(SIM_PASSWORD, 2 ** 10), deviceIds: '*' },
    ];
    writeFileSync(file, JSON.stringify(users));
    edge = await startTestEdge({ site, flags: ['--mqtt-users', file] });
  });
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await edge.stop();
  });

  it.each([
    ['no credentials', undefined, undefined],
    ['a wrong password', 'door-1', 'guess'],
    ['an unknown user', 'fire-panel', DOOR_PASSWORD],
  ])('refuses a client with %s', async (_n, username, password) => {
    const before = await refused(edge, 'login');
    await expect(connect(username, password)).rejects.toThrow(/Bad username or password|Not authorized/);
    expect(await refused(edge, 'login')).toBe(before + 1);
  });

  it('lets a device publish under its own ids', async () => {
    const door = await connect('door-1', DOOR_PASSWORD);
    const id = randomUUID();
    await door.publishAsync(deviceTopic(site, 'door-1', 'events'), JSON.stringify({ id, type: 'motion', ts: Date.now() }), { qos: 1 });
    expect(stored(edge, id)).toBe(true);
  });

  it.each([
    ["another device's events (posing as the fire panel)", 'fire-panel', 'events'],
    ["another device's config", 'door-2', 'config'],
    ['a command to its own door', 'door-1', 'cmd'],
  ] as const)('drops a device that publishes %s, storing nothing', async (_n, deviceId, channel) => {
    const door = await connect('door-1', DOOR_PASSWORD);
    const closed = new Promise<void>((resolve) => door.once('close', () => resolve()));
    // A publish on an edge-only topic is refused as a forgery whatever the login (and raises an alarm).
    const count = channel === 'cmd' ? () => forged(edge) : () => refused(edge, 'publish');
    const before = await count();
    const id = randomUUID();
    door.publish(deviceTopic(site, deviceId, channel), JSON.stringify({ id, type: 'fire.alarm', ts: Date.now() }), { qos: 1 });
    await closed;
    expect(await count()).toBe(before + 1);
    expect(stored(edge, id)).toBe(false);
    expect(edge.ctx.modes.mode).toBe('normal');
  });

  it("refuses a subscription to another reader's access answers, and allows its own", async () => {
    const door = await connect('door-1', DOOR_PASSWORD);
    const before = await refused(edge, 'subscribe');
    // mqtt.js turns a 0x80 (failure) grant into a rejected subscribe.
    await expect(door.subscribeAsync(deviceTopic(site, 'reader-2', 'access/response'), { qos: 1 })).rejects.toThrow(/Subscribe error/);
    expect(await refused(edge, 'subscribe')).toBe(before + 1);
    const grants = await door.subscribeAsync(deviceTopic(site, 'reader-1', 'access/response'), { qos: 1 });
    expect(grants.map((g) => g.qos)).toEqual([1]);
  });

  it('lets a site-wide login (a gateway or the simulator) speak for every device', async () => {
    const sim = await connect('sim', SIM_PASSWORD);
    await sim.publishAsync(deviceTopic(site, 'fire-panel', 'config'), JSON.stringify({ id: 'fire-panel', kind: 'fire-panel', name: 'Fire panel' }), { qos: 1, retain: true });
    await waitFor(() => edge.ctx.registry.get('fire-panel'), 'fire panel registered');
  });

  it.each([
    ['a missing file', () => join(tempDir(), 'nope.json'), /cannot read/],
    ['a file that is not JSON', () => writeTemp('not json'), /cannot read/],
    ['a plain-text password', () => writeTemp(JSON.stringify([{ username: 'a', passwordHash: 'hunter2', deviceIds: '*' }])), /passwordHash must be scrypt/],
    ['a device id that is not an id', () => writeTemp(JSON.stringify([{ username: 'a', passwordHash: 'scrypt$1024$8$1$AA$AA', deviceIds: ['door/#'] }])), /deviceIds/],
  ])('refuses %s at start-up with one clear line', (_n, file, message) => {
    const argv = ['--site', 'a', '--mqtt-users', file()];
    expect(() => parseEdgeConfig(argv, {})).toThrow(ConfigError);
    expect(() => parseEdgeConfig(argv, {})).toThrow(message);
  });
});

function writeTemp(text: string): string {
  const file = join(tempDir(), 'users.json');
  writeFileSync(file, text);
  return file;
}
