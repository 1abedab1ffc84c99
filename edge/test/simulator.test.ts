import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoMembers, DEMO_SITES, findActive, findUnresolved, listAlerts, resolveAlert } from '@cr/shared';
import { Simulator } from '../src/sim/simulator';
import { sitePlan } from '../src/sim/site-plan';
import { startScenario, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

describe('device simulator', () => {
  let s: Scenario | undefined;
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    await s?.close();
  });

  it('plans a demo site with the demo devices and adds generated ones in the same zones', () => {
    const gangnam = DEMO_SITES.find((x) => x.id === 'gangnam')!;
    expect(sitePlan('gangnam').map((d) => d.id)).toEqual(gangnam.devices.map((d) => d.id));
    const big = sitePlan('gangnam', 150);
    expect(big).toHaveLength(150);
    expect(new Set(big.map((d) => d.id)).size).toBe(150);
    expect(big.filter((d) => d.kind === 'reader').every((r) => r.doorId && big.some((d) => d.id === r.doorId))).toBe(true);
    expect(big.every((d) => gangnam.zones.some((z) => z.id === d.zoneId))).toBe(true);
  });

  it('drives an edge: swipes, fire unlocks every simulated lock, forced door and offline device raise alerts', async () => {
    s = await startScenario({ members: demoMembers(), flags: ['--device-stale-ms', '60000'] });
    sim = new Simulator({ siteId: s.siteId, mqttUrl: s.edge.mqttUrl, devices: 40, rate: 0, stateMs: 60_000 });
    await sim.start();
    await waitFor(() => s!.edge.ctx.registry.size === 40 && s!.edge.ctx.registry.onlineCount() === 40, '40 devices online');
    expect(await sim.swipe('reader-lobby', 'card-0042')).toMatchObject({ granted: true, memberId: 'member-0042' });
    await waitFor(() => sim!.devices.get('door-lobby')!.state.locked === false, 'lobby door pulsed open');
    expect(await sim.swipe('reader-lobby', 'card-9999')).toMatchObject({ granted: false, reason: 'unknown-credential' });

    await sim.force('door-office');
    await waitFor(() => findUnresolved(s!.edge.doc, { type: 'door.forced', deviceId: 'door-office' }).length === 1, 'forced alert');
    sim.close('door-office');

    sim.offline('camera-entrance');
    await waitFor(() => findUnresolved(s!.edge.doc, { type: 'device.offline', deviceId: 'camera-entrance' }).length === 1, 'offline alert (LWT)');
    await sim.online('camera-entrance');
    await waitFor(() => findActive(s!.edge.doc, { type: 'device.offline', deviceId: 'camera-entrance' }).length === 0, 'offline cause cleared');

    sim.fire(true);
    const doors = [...sim.devices.values()].filter((d) => d.spec.kind === 'door');
    await waitFor(() => doors.every((d) => d.state.locked === false), 'every simulated lock unlocked');
    expect(s.edge.ctx.modes.state.fireActive).toBe(true);
  });

  it('a staged forced door raises door.forced every time, even right after a grant and under busy traffic', async () => {
    s = await startScenario({ members: demoMembers(), flags: ['--device-stale-ms', '60000'] });
    sim = new Simulator({ siteId: s.siteId, mqttUrl: s.edge.mqttUrl, rate: 40, stateMs: 60_000 });
    await sim.start();
    const lobby = sim.devices.get('door-lobby')!;
    for (let round = 0; round < 2; round++) {
      // A grant has just pulsed the lobby door open: forcing it now must wait for the pulse to lapse.
      expect(await sim.swipe('reader-lobby', 'card-0042')).toMatchObject({ granted: true });
      const forcing = sim.force('door-lobby');
      await waitFor(() => lobby.state.open === true && lobby.lock.held, 'door forced open', 16_000);
      await forcing;
      await waitFor(() => findActive(s!.edge.doc, { type: 'door.forced', deviceId: 'door-lobby' }).length === 1, `forced alert, round ${round}`);
      sim.close('door-lobby');
      await waitFor(() => findActive(s!.edge.doc, { type: 'door.forced', deviceId: 'door-lobby' }).length === 0, 'cause cleared');
      // The alarm latched; resolve it as an operator would, so the next round raises a new one.
      const [open] = findUnresolved(s.edge.doc, { type: 'door.forced', deviceId: 'door-lobby' });
      expect(open?.causeCleared).toBe(true);
      resolveAlert(s.edge.doc, open!.id, { by: 'hq', at: Date.now(), where: 'hq' });
    }
    await expect(sim.force('nope')).rejects.toThrow(/no door nope/);
  }, 60_000);

  it('each staged anomaly raises exactly its alarm, twice in a row, under busy background traffic', async () => {
    s = await startScenario({
      members: demoMembers(),
      flags: ['--device-stale-ms', '60000', '--zone-empty-ms', '1000', '--tailgate-window-ms', '3000', '--zone-capacity', '*=40', '--co2-sustain-ms', '1000', '--hvac-empty-ms', '1500', '--flap-window-ms', '4000'],
    });
    sim = new Simulator({ siteId: s.siteId, mqttUrl: s.edge.mqttUrl, rate: 20, stateMs: 1_000 });
    await sim.start();
    const doc = s.edge.doc;
    await waitFor(() => s!.edge.ctx.registry.onlineCount() === sim!.devices.size, 'every simulated device online');
    // `keeps`: calm lets people back in by badge, so the intruder's movement is still the cause until the zone empties.
    const staged: Array<{ type: string; run: (sim: Simulator) => unknown; also?: string[]; keeps?: boolean }> = [
      { type: 'presence.unauthorized', run: (x) => x.staging.intrude('lounge', 1_500), keeps: true },
      { type: 'presence.tailgating', run: (x) => x.staging.tailgate('door-lobby') },
      { type: 'zone.over-capacity', run: (x) => x.staging.crowd('lobby', 45) },
      { type: 'env.co2-high', run: (x) => x.staging.stuffy('env-office') },
      { type: 'hvac.empty-zone', run: (x) => x.staging.hvacEmpty('meeting') },
      // The drops themselves also latch the camera's one offline alarm.
      { type: 'device.flapping', run: (x) => x.staging.flap('camera-office', 6), also: ['device.offline'] },
    ];
    // Background traffic alone raises none of the anomaly alarms.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(listAlerts(doc).filter((a) => staged.some((i) => i.type === a.type))).toEqual([]);
    for (const incident of staged) {
      for (let round = 0; round < 2; round++) {
        const before = new Set(listAlerts(doc).map((a) => a.id));
        await incident.run(sim);
        await waitFor(() => findUnresolved(doc, { type: incident.type }).length === 1, `${incident.type}, round ${round}`, 10_000);
        // Give any stray alarm time to show before checking that this one is alone.
        await new Promise((r) => setTimeout(r, 1_500));
        const raised = listAlerts(doc).filter((a) => !before.has(a.id));
        expect(raised.filter((a) => a.type === incident.type), `${incident.type}, round ${round}`).toHaveLength(1);
        expect(raised.filter((a) => a.type !== incident.type && !incident.also?.includes(a.type)).map((a) => a.type), `${incident.type}, round ${round}`).toEqual([]);
        await sim.staging.calm();
        if (!incident.keeps) await waitFor(() => findUnresolved(doc, { type: incident.type })[0]?.causeCleared, `${incident.type} cause cleared, round ${round}`, 10_000);
        // Resolved as an operator would, so the next round must raise a new alarm.
        for (const a of listAlerts(doc).filter((x) => x.state !== 'resolved')) resolveAlert(doc, a.id, { by: 'hq', at: Date.now(), where: 'hq' });
      }
    }
  }, 240_000);

  it('runs from the CLI and prints its control URL', async () => {
    s = await startScenario({ members: demoMembers() });
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const proc = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'edge/src/sim/main.ts'), '--site', s.siteId, '--mqtt-url', s.edge.mqttUrl, '--rate', '20'], { cwd: root });
    try {
      let out = '';
      proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const url = await waitFor(() => /control on (http:\/\/\S+)/.exec(out)?.[1], 'control line', 15_000);
      const res = await fetch(`${url}/swipe`, { method: 'POST', body: JSON.stringify({ readerId: 'reader-office', card: 'card-0001' }) });
      expect(await res.json()).toMatchObject({ granted: true });
      await waitFor(() => [...s!.cloud.events.values()].some((e) => e.type === 'motion'), 'generated traffic uploaded', 10_000);
    } finally {
      proc.kill('SIGTERM');
    }
  });
});
