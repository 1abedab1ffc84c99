import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScenario, setMode, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

describe.each(['embedded', 'mosquitto'] as const)('access decisions over MQTT (%s broker)', (broker) => {
  let s: Scenario;
  let readerId: string;
  let doorId: string;

  beforeEach(async () => {
    s = await startScenario({ broker });
    ({ readerId, doorId } = await s.devices.doorWithReader('lobby'));
    await s.devices.config({ id: 'reader-loose', kind: 'reader', name: 'Reader without door', zoneId: 'lobby' });
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId) && s.edge.ctx.registry.get('reader-loose'), 'devices registered');
  });
  afterEach(() => s.close());

  it('grants a member and pulses the reader door open', async () => {
    const r = await s.devices.swipe(readerId, 'card-ok');
    expect(r).toMatchObject({ granted: true, reason: 'granted', memberId: 'm-ok' });
    const pulse = await waitFor(() => s.devices.commandsFor(doorId).find((c) => c.action === 'pulse-unlock'), 'pulse-unlock');
    expect(pulse.durationMs).toBeGreaterThan(0);
    expect(pulse.expiresAt).toBeGreaterThan(Date.now());
  });

  it.each([
    ['card-nobody', 'unknown-credential'],
    ['card-nogrant', 'no-grant'],
    ['card-gone', 'expired'],
    ['card-sched', 'outside-schedule'],
  ])('denies %s with %s and does not open the door', async (card, reason) => {
    const r = await s.devices.swipe(readerId, card);
    expect(r).toMatchObject({ granted: false, reason });
    expect(s.devices.commandsFor(doorId)).toHaveLength(0);
  });

  it('denies at a reader bound to no door', async () => {
    expect(await s.devices.swipe('reader-loose', 'card-ok')).toMatchObject({ granted: false, reason: 'unknown-door' });
  });

  it('answers a malformed request with reason malformed', async () => {
    await s.devices.raw(s.devices.topic(readerId, 'access/request'), JSON.stringify({ requestId: 'bad-1', credential: { type: 'retina', value: 'x' }, ts: 1 }));
    const r = await waitFor(() => s.devices.responses.find((x) => x.requestId === 'bad-1'), 'malformed answer');
    expect(r).toMatchObject({ granted: false, reason: 'malformed' });
  });

  it('records every decision in the outbox and uploads it', async () => {
    await s.devices.swipe(readerId, 'card-ok');
    await s.devices.swipe(readerId, 'card-nobody');
    const types = await waitFor(() => {
      const t = [...s.cloud.events.values()].filter((e) => e.type.startsWith('access.')).map((e) => `${e.type}:${String(e.data?.reason)}`);
      return t.length >= 2 ? t : undefined;
    }, 'decisions uploaded');
    expect(types).toEqual(['access.granted:granted', 'access.denied:unknown-credential']);
  });

  it('secure mode admits only secure-mode members', async () => {
    expect(await setMode(s, 'secure')).toMatchObject({ status: 'executed' });
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: false, reason: 'site-mode' });
    expect(await s.devices.swipe(readerId, 'card-night')).toMatchObject({ granted: true, reason: 'granted' });
  });

  it('lockdown opens for no credential and locks every door', async () => {
    expect(await setMode(s, 'lockdown')).toMatchObject({ status: 'executed' });
    await waitFor(() => s.devices.commandsFor(doorId).find((c) => c.action === 'lock'), 'lock fan-out');
    expect(await s.devices.swipe(readerId, 'card-night')).toMatchObject({ granted: false, reason: 'site-mode' });
    expect(s.devices.commandsFor(doorId).some((c) => c.action === 'pulse-unlock')).toBe(false);
  });
});
