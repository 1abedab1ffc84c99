import { afterEach, describe, expect, it } from 'vitest';
import { findUnresolved, SiteDoc } from '@cr/shared';
import { startTestEdge, tempDir, uniqueSite } from './support/test-edge';
import { TestDevices } from './support/device';
import { startScenario, setMode, remoteCommand, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';
import type { RunningEdge } from '../src/edge';

async function registerDoors(devices: TestDevices, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `door-${i}`);
  await Promise.all(ids.map((id, i) => devices.config({ id, kind: 'door', name: `Door ${i}`, zoneId: 'lobby' })));
  await devices.config({ id: 'fire-panel', kind: 'fire-panel', name: 'Fire panel' });
  await devices.config({ id: 'reader-0', kind: 'reader', name: 'Reader', zoneId: 'lobby', doorId: 'door-0' });
  return ids;
}

describe.each(['embedded', 'mosquitto'] as const)('fire with no cloud at all (%s broker)', (broker) => {
  let edge: RunningEdge | undefined;
  let devices: TestDevices | undefined;
  afterEach(async () => {
    await devices?.close();
    await edge?.stop();
  });

  it('unlocks all 150 doors at once, keeps them open, and survives a restart in emergency-unlock', async () => {
    const site = uniqueSite();
    const dataDir = tempDir();
    edge = await startTestEdge({ site, broker, dataDir });
    devices = await TestDevices.connect(edge.mqttUrl, site);
    const doors = await registerDoors(devices, 150);
    await waitFor(() => edge!.ctx.registry.size === 152, '152 devices registered');
    await devices.event('fire-panel', 'fire.alarm');
    await waitFor(() => new Set(devices!.commands.filter((c) => c.action === 'unlock').map((c) => c.deviceId)).size === 150, 'unlock to all doors');
    expect(new Set(devices.commands.map((c) => c.deviceId))).toEqual(new Set(doors));
    expect(edge.ctx.modes.state).toMatchObject({ mode: 'emergency-unlock', fireActive: true });
    expect(new SiteDoc(edge.doc).meta()).toMatchObject({ mode: 'emergency-unlock', fireActive: true });
    expect(findUnresolved(edge.doc, { type: 'fire.alarm' })).toHaveLength(1);
    // A grant during the emergency must not pulse (a pulse re-locks when it ends).
    devices.commands.length = 0;
    const r = await devices.swipe('reader-0', 'card-anyone');
    expect(r).toMatchObject({ granted: true, reason: 'site-mode' });
    expect(devices.commands).toHaveLength(0);
    await devices.close();
    await edge.stop();
    edge = await startTestEdge({ site, broker, dataDir });
    devices = await TestDevices.connect(edge.mqttUrl, site);
    expect(edge.ctx.modes.state).toMatchObject({ mode: 'emergency-unlock', fireActive: true });
  });

  it('ignores fire.alarm from a device that is not a fire panel', async () => {
    const site = uniqueSite();
    edge = await startTestEdge({ site, broker });
    devices = await TestDevices.connect(edge.mqttUrl, site);
    await devices.config({ id: 'pir-1', kind: 'pir', name: 'PIR' });
    await waitFor(() => edge!.ctx.registry.get('pir-1'), 'pir registered');
    await devices.event('pir-1', 'fire.alarm');
    await waitFor(() => edge!.outbox.depth > 0, 'event stored');
    expect(edge.ctx.modes.mode).toBe('normal');
  });
});

describe('fire reset needs an authorized person', () => {
  let s: Scenario;
  afterEach(() => s.close());

  it('refuses locks and other modes during a fire, accepts a site manager reset, then locks the doors', async () => {
    s = await startScenario();
    await registerDoors(s.devices, 3);
    await waitFor(() => s.edge.ctx.registry.size === 5, 'registered');
    await s.devices.event('fire-panel', 'fire.alarm');
    await waitFor(() => s.edge.ctx.modes.state.fireActive, 'fire active');
    const lock = remoteCommand(s.siteId, { kind: 'door', doorId: 'door-1', action: 'lock' });
    s.cloud.command(lock);
    const lockOutcome = await waitFor(() => s.cloud.outcomes.find((o) => o.commandId === lock.id), 'lock outcome');
    expect(lockOutcome).toMatchObject({ status: 'rejected' });
    expect(s.devices.commands.some((c) => c.action === 'lock')).toBe(false);
    expect(await setMode(s, 'lockdown')).toMatchObject({ status: 'rejected' });
    expect(await setMode(s, 'normal', { issuerRole: 'vendor' })).toMatchObject({ status: 'rejected' });
    expect(await setMode(s, 'normal', { issuerRole: 'tenant-admin' })).toMatchObject({ status: 'rejected' });
    expect(s.edge.ctx.modes.state.fireActive).toBe(true);
    // The panel still reports the fire: nobody may reset yet.
    await s.devices.state('fire-panel', { alarm: true });
    const early = await setMode(s, 'normal', { issuerRole: 'site-manager', issuedBy: 'gangnam.manager' });
    expect(early).toMatchObject({ status: 'rejected', error: expect.stringMatching(/fire panel fire-panel still reports an alarm/) });
    expect(s.devices.commands.some((c) => c.action === 'lock')).toBe(false);
    await s.devices.state('fire-panel', { alarm: false });
    await waitFor(() => s.edge.ctx.modes.panelsInAlarm.length === 0, 'panel reports no alarm');
    expect(await setMode(s, 'normal', { issuerRole: 'site-manager', issuedBy: 'gangnam.manager' })).toMatchObject({ status: 'executed' });
    expect(s.edge.ctx.modes.state).toMatchObject({ mode: 'normal', fireActive: false });
    await waitFor(() => s.devices.commands.filter((c) => c.action === 'lock').length === 3, 'doors locked after reset');
    await waitFor(() => [...s.cloud.events.values()].filter((e) => e.type === 'command.rejected').length >= 4, 'audit uploaded');
    await waitFor(() => [...s.cloud.events.values()].some((e) => e.type === 'mode.changed' && e.data?.to === 'normal'), 'reset audited');
  });

  it('refuses an expired command without touching the door', async () => {
    s = await startScenario();
    await registerDoors(s.devices, 1);
    await waitFor(() => s.edge.ctx.registry.get('door-0'), 'registered');
    const cmd = remoteCommand(s.siteId, { kind: 'door', doorId: 'door-0', action: 'unlock' }, { expiresAt: Date.now() - 1 });
    s.cloud.command(cmd);
    expect(await waitFor(() => s.cloud.outcomes.find((o) => o.commandId === cmd.id), 'outcome')).toMatchObject({ status: 'expired' });
    expect(s.devices.commands).toHaveLength(0);
  });

  it('executes a door command from the cloud when the door confirms, and reports expired when it does not', async () => {
    s = await startScenario();
    await registerDoors(s.devices, 1);
    await waitFor(() => s.edge.ctx.registry.get('door-0'), 'registered');
    const ok = remoteCommand(s.siteId, { kind: 'door', doorId: 'door-0', action: 'unlock' });
    s.cloud.command(ok);
    expect(await waitFor(() => s.cloud.outcomes.find((o) => o.commandId === ok.id), 'outcome')).toMatchObject({ status: 'executed' });
    s.devices.confirmCommands = false;
    const silent = remoteCommand(s.siteId, { kind: 'door', doorId: 'door-0', action: 'lock' }, { expiresAt: Date.now() + 300 });
    s.cloud.command(silent);
    expect(await waitFor(() => s.cloud.outcomes.find((o) => o.commandId === silent.id), 'outcome')).toMatchObject({ status: 'expired' });
  });
});
