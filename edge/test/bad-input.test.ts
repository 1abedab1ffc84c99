import { randomUUID } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteEventSchema } from '@cr/shared';
import { startScenario, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

/** Reads `edge_malformed_messages_total{kind=…}` from the edge's /metrics. */
async function malformed(s: Scenario, kind: string): Promise<number> {
  const text = await (await fetch(`${s.edge.httpUrl}/metrics`)).text();
  const m = new RegExp(`edge_malformed_messages_total\\{kind="${kind}"\\} (\\d+)`).exec(text);
  return m ? Number(m[1]) : 0;
}

describe('bad input from devices', () => {
  let s: Scenario;
  let readerId: string;
  const dupId = randomUUID();

  beforeAll(async () => {
    s = await startScenario();
    ({ readerId } = await s.devices.doorWithReader('lobby'));
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'registered');
    await s.devices.event('door-lobby', 'motion', undefined, dupId);
  });
  afterAll(() => s.close());

  const t = (channel: string, device = 'door-lobby') => `cr/${s.siteId}/devices/${device}/${channel}`;

  it.each<[string, () => [string, string | Buffer], string]>([
    ['malformed JSON event', () => [t('events'), '{"id":'], 'json'],
    ['malformed JSON config', () => [t('config'), 'not json'], 'json'],
    ['an event nested 5,000 levels deep', () => [t('events'), `{"id":"${randomUUID()}","type":"motion","ts":1,"data":{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}}`], 'json'],
    ['unknown device kind', () => [t('config', 'toaster-1'), JSON.stringify({ id: 'toaster-1', kind: 'toaster', name: 'T' })], 'schema'],
    ['config for another id', () => [t('config', 'door-x'), JSON.stringify({ id: 'door-lobby', kind: 'door', name: 'spoof' })], 'config-mismatch'],
    ['oversized payload', () => [t('events'), Buffer.alloc(64 * 1024, 0x61)], 'oversize'],
    ['state from an unknown device', () => [t('state', 'ghost-1'), JSON.stringify({ locked: true, open: false, ts: 1 })], 'unknown-device'],
    ['door state of the wrong shape', () => [t('state'), JSON.stringify({ locked: 'yes', ts: 1 })], 'schema'],
    ['availability that is not online/offline', () => [t('availability'), 'maybe'], 'schema'],
    ['upper-case device id in the topic', () => [`cr/${s.siteId}/devices/DOOR/events`, '{}'], 'topic'],
    ['an id with characters outside the id pattern', () => [`cr/${s.siteId}/devices/door$1 OR 1=1/events`, '{}'], 'topic'],
    ['replayed event id', () => [t('events'), JSON.stringify({ id: dupId, type: 'motion', ts: Date.now() })], 'replay'],
    ['event from a skewed clock', () => [t('events'), JSON.stringify({ id: randomUUID(), type: 'motion', ts: Date.now() + 86_400_000 })], 'clock-skew'],
    ['event with a non-UUID id', () => [t('events'), JSON.stringify({ id: 'x', type: 'motion', ts: 1 })], 'schema'],
    ['command result of the wrong shape', () => [t('cmd/result'), JSON.stringify({ id: 1 })], 'schema'],
    ['an event from an unregistered device', () => [t('events', 'ghost-2'), JSON.stringify({ id: randomUUID(), type: 'motion', ts: Date.now() })], 'unknown-device'],
    ['availability from an unregistered device', () => [t('availability', 'ghost-3'), 'online'], 'unknown-device'],
    ['an id with a slash (an extra topic level)', () => [`cr/${s.siteId}/devices/door/1/events`, '{}'], 'topic'],
    ["another site's topic", () => [`cr/other-site/devices/door-lobby/events`, '{}'], 'topic'],
    // Forged publishes on edge-only topics: see forgery.test.ts (refused before delivery, the client dropped).
  ])('counts %s and keeps running', async (_name, make, kind) => {
    const before = await malformed(s, kind);
    const [topic, payload] = make();
    await s.devices.raw(topic, payload);
    await waitFor(async () => (await malformed(s, kind)) > before, `${kind} counted`);
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
  });

  it.each<[string, () => string | Buffer]>([
    ['not JSON', () => 'garbage'],
    ['oversized', () => Buffer.alloc(64 * 1024, 0x20)],
    ['a credential type nobody knows', () => JSON.stringify({ requestId: 'r-x', credential: { type: 'dna', value: 'x' }, ts: Date.now() })],
    ['no credential', () => JSON.stringify({ requestId: 'r-y', ts: Date.now() })],
  ])('answers an access request that is %s with malformed', async (_name, make) => {
    const before = s.devices.responses.length;
    await s.devices.raw(t('access/request', readerId), make());
    const r = await waitFor(() => s.devices.responses.slice(before).find((x) => x.readerId === readerId), 'answer');
    expect(r).toMatchObject({ granted: false, reason: 'malformed' });
  });

  it.each<[string, (readerId: string) => string, string]>([
    ['an unregistered reader', () => 'reader-ghost', 'unknown-device'],
    ['a reader with a skewed clock', (r) => r, 'clock-skew'],
  ])('answers (and counts) an access request from %s', async (_name, reader, kind) => {
    const before = await malformed(s, kind);
    const requestId = randomUUID();
    const ts = kind === 'clock-skew' ? Date.now() - 3_600_000 : Date.now();
    await s.devices.raw(t('access/request', reader(readerId)), JSON.stringify({ requestId, credential: { type: 'card', value: 'card-ok' }, ts }));
    const r = await waitFor(() => s.devices.responses.find((x) => x.requestId === requestId), 'answer');
    expect(r.granted).toBe(kind === 'clock-skew');
    expect(await malformed(s, kind)).toBeGreaterThan(before);
  });

  it.each(['+', '#'])('drops a client publishing with %s in the topic, counts it, and keeps serving', async (wildcard) => {
    const before = await malformed(s, 'topic');
    const rogue = await mqtt.connectAsync(s.edge.mqttUrl, { clientId: `rogue-${randomUUID()}`, reconnectPeriod: 0 });
    rogue.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => rogue.once('close', () => resolve()));
    rogue.publish(`cr/${s.siteId}/devices/${wildcard}/events`, '{}', { qos: 1 });
    await closed;
    await waitFor(async () => (await malformed(s, 'topic')) > before, 'wildcard topic counted');
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
  });

  it('cuts off a client declaring a huge packet before buffering it, and keeps serving', async () => {
    const before = await malformed(s, 'oversize');
    const socket = tcpConnect(Number(new URL(s.edge.mqttUrl).port), '127.0.0.1');
    socket.on('error', () => undefined); // the edge resets the connection mid-write
    const id = Buffer.from('huge-sender');
    const body = Buffer.concat([Buffer.from([0, 4]), Buffer.from('MQTT'), Buffer.from([4, 2, 0, 60, 0, id.length]), id]);
    socket.write(Buffer.concat([Buffer.from([0x10, body.length]), body]));
    await new Promise((resolve) => socket.once('data', resolve)); // CONNACK
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // PUBLISH declaring 200 MB (remaining length 0x80 0x80 0xa8 0x5f), followed by the first bytes of it.
    socket.write(Buffer.concat([Buffer.from([0x30, 0x80, 0x80, 0xa8, 0x5f]), Buffer.alloc(64 * 1024)]));
    await closed;
    expect(await malformed(s, 'oversize')).toBe(before + 1);
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
  });

  it('leaves only well-formed events in the outbox', async () => {
    const rows = s.edge.outbox.nextBatch(10_000)?.events ?? [];
    for (const e of [...rows, ...s.cloud.events.values()]) expect(siteEventSchema.safeParse(e).success).toBe(true);
  });

  it('stores a clock-skewed event with the edge time and the device time as data', async () => {
    const id = randomUUID();
    const deviceTs = Date.now() - 10 * 86_400_000;
    await s.devices.event('door-lobby', 'motion', undefined, id, deviceTs);
    const e = await waitFor(() => s.cloud.events.get(id), 'skewed event uploaded');
    expect(e.data?.deviceTs).toBe(deviceTs);
    expect(Math.abs(e.ts - Date.now())).toBeLessThan(60_000);
  });

  it('stores a replayed event only once', async () => {
    await waitFor(() => s.cloud.events.has(dupId), 'original uploaded');
    expect([...s.cloud.order].filter((id) => id === dupId)).toHaveLength(1);
    expect(s.cloud.duplicates).toBe(0);
  });
});
