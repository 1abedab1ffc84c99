import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

async function malformed(s: Scenario, kind: string): Promise<number> {
  const text = await (await fetch(`${s.edge.httpUrl}/metrics`)).text();
  return Number(new RegExp(`edge_malformed_messages_total\\{kind="${kind}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
}

/** The core of the bad-input table through Mosquitto (the edge as a client with a persistent session). */
describe('bad input from devices (Mosquitto)', () => {
  let s: Scenario;
  let readerId: string;
  const dupId = randomUUID();

  beforeAll(async () => {
    s = await startScenario({ broker: 'mosquitto' });
    ({ readerId } = await s.devices.doorWithReader('lobby'));
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'registered');
    await s.devices.event('door-lobby', 'motion', undefined, dupId);
  });
  afterAll(() => s.close());

  const t = (channel: string, device = 'door-lobby') => `cr/${s.siteId}/devices/${device}/${channel}`;

  it.each<[string, () => [string, string | Buffer], string]>([
    ['malformed JSON event', () => [t('events'), '{"id":'], 'json'],
    ['unknown device kind', () => [t('config', 'toaster-1'), JSON.stringify({ id: 'toaster-1', kind: 'toaster', name: 'T' })], 'schema'],
    ['oversized payload', () => [t('events'), Buffer.alloc(64 * 1024, 0x61)], 'oversize'],
    ['an event from an unregistered device', () => [t('events', 'ghost-2'), JSON.stringify({ id: randomUUID(), type: 'motion', ts: Date.now() })], 'unknown-device'],
    ['upper-case device id in the topic', () => [`cr/${s.siteId}/devices/DOOR/events`, '{}'], 'topic'],
    ['replayed event id', () => [t('events'), JSON.stringify({ id: dupId, type: 'motion', ts: Date.now() })], 'replay'],
    ['event from a skewed clock', () => [t('events'), JSON.stringify({ id: randomUUID(), type: 'motion', ts: Date.now() + 86_400_000 })], 'clock-skew'],
  ])('counts %s and keeps running', async (_name, make, kind) => {
    const before = await malformed(s, kind);
    const [topic, payload] = make();
    await s.devices.raw(topic, payload);
    await waitFor(async () => (await malformed(s, kind)) > before, `${kind} counted`);
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
  });

  it('answers an oversized access request with malformed', async () => {
    const before = s.devices.responses.length;
    await s.devices.raw(t('access/request', readerId), Buffer.alloc(64 * 1024, 0x20));
    const r = await waitFor(() => s.devices.responses.slice(before).find((x) => x.readerId === readerId), 'answer');
    expect(r).toMatchObject({ granted: false, reason: 'malformed' });
  });
});
