import { afterEach, describe, expect, it } from 'vitest';
import { startScenario, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

const approve = (s: Scenario, token: string, deviceId: string, body: Record<string, unknown> = {}) =>
  fetch(`${s.edge.httpUrl}/api/v1/sites/${s.siteId}/devices/${deviceId}/approve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('device admission at the edge (commissioning window closed)', () => {
  let s: Scenario;
  afterEach(() => s.close());

  it('a pending reader never opens its door; once approved it does', async () => {
    s = await startScenario({ commissioning: false });
    const { readerId, doorId } = await s.devices.doorWithReader('lobby');
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: false, reason: 'device-pending' });
    expect(s.devices.commandsFor(doorId)).toEqual([]);

    const manager = await s.cloud.userToken('site-manager', [s.siteId]);
    const listed = (await (await fetch(`${s.edge.httpUrl}/api/v1/sites/${s.siteId}/devices`, { headers: { authorization: `Bearer ${manager}` } })).json()) as Array<{ id: string; approval: string }>;
    expect(listed.find((d) => d.id === readerId)).toMatchObject({ approval: 'pending' });
    // A vendor or another site's manager cannot admit it.
    expect((await approve(s, await s.cloud.userToken('site-manager', ['elsewhere']), readerId)).status).toBe(403);
    expect((await approve(s, await s.cloud.userToken('hq-operator'), readerId)).status).toBe(403);
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ reason: 'device-pending' });

    expect((await approve(s, manager, readerId)).status).toBe(200);
    expect((await approve(s, manager, doorId)).status).toBe(200);
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true, reason: 'granted' });
    await waitFor(() => s.devices.commandsFor(doorId).some((c) => c.action === 'pulse-unlock'), 'door pulsed');
  });

  it("a pending fire panel's alarm unlocks nothing; an approved one unlocks every door", async () => {
    s = await startScenario({ commissioning: false });
    await s.devices.config({ id: 'door-1', kind: 'door', name: 'Door 1', zoneId: 'lobby' });
    await s.devices.config({ id: 'fire-panel', kind: 'fire-panel', name: 'Fire panel' });
    await waitFor(() => s.edge.ctx.registry.size === 2, 'registered');
    await s.devices.event('fire-panel', 'fire.alarm');
    await s.devices.state('fire-panel', { alarm: true });
    await waitFor(() => s.edge.outbox.nextBatch(100)?.events.some((e) => e.type === 'fire.alarm' && e.data?.pending === true), 'pending alarm recorded');
    expect(s.edge.ctx.modes.state).toMatchObject({ mode: 'normal', fireActive: false });
    expect(s.devices.commands).toEqual([]);

    const admin = await s.cloud.userToken('tenant-admin');
    expect((await approve(s, admin, 'fire-panel')).status).toBe(200);
    await s.devices.event('fire-panel', 'fire.alarm');
    await waitFor(() => s.devices.commandsFor('door-1').some((c) => c.action === 'unlock'), 'door unlocked by the admitted panel');
    expect(s.edge.ctx.modes.state).toMatchObject({ mode: 'emergency-unlock', fireActive: true });
  });

  it('admits at once a device that announces itself while a commissioning window is open, and places it in the approved zone', async () => {
    s = await startScenario({ commissioning: false });
    const admin = await s.cloud.userToken('tenant-admin');
    const opened = await fetch(`${s.edge.httpUrl}/api/v1/sites/${s.siteId}/commissioning`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ minutes: 5 }),
    });
    expect(opened.status).toBe(200);
    const { readerId } = await s.devices.doorWithReader('server-room', 'x');
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    // card-nogrant has a grant on server-room only.
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: true });
    // A person moves the reader (and its door) into the lobby: the zone the site says wins.
    const manager = await s.cloud.userToken('site-manager', [s.siteId]);
    expect((await approve(s, manager, readerId, { zoneId: 'lobby' })).status).toBe(200);
    expect((await approve(s, manager, 'door-x', { zoneId: 'lobby' })).status).toBe(200);
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: false, reason: 'no-grant' });
  });
});
