import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceTopic, listAlerts, resolveAlert } from '@cr/shared';
import type { RunningEdge } from '../src/edge';
import { setMode, startScenario, type Scenario } from './support/scenario';
import { TestDevices } from './support/device';
import { startTestEdge, tempDir, uniqueSite } from './support/test-edge';
import { waitFor } from './support/wait';

describe('state the edge keeps across restarts and over time', () => {
  let s: Scenario | undefined;
  let edge: RunningEdge | undefined;
  afterEach(async () => {
    await edge?.stop();
    await s?.close();
    s = edge = undefined;
  });

  it('answers GET /api/v1/commands/{id} after a restart', async () => {
    const dataDir = tempDir();
    s = await startScenario({ dataDir });
    const { doorId } = await s.devices.doorWithReader('lobby');
    await waitFor(() => s!.edge.ctx.registry.get(doorId), 'door registered');
    const manager = await s.cloud.userToken('site-manager', [s.siteId]);
    const auth = { authorization: `Bearer ${manager}` };
    const res = await fetch(`${s.edge.httpUrl}/api/v1/sites/${s.siteId}/doors/${doorId}/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ action: 'unlock', reason: 'cleaning' }),
    });
    const { id } = (await res.json()) as { id: string };
    await waitFor(async () => {
      const r = (await (await fetch(`${s!.edge.httpUrl}/api/v1/commands/${id}`, { headers: auth })).json()) as { status: string };
      return r.status === 'executed';
    }, 'command executed');
    await s.edge.stop();
    // The restarted gateway runs alone: the token is checked with the key it cached.
    edge = await startTestEdge({ site: s.siteId, dataDir });
    const after = await fetch(`${edge.httpUrl}/api/v1/commands/${id}`, { headers: auth });
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ id, status: 'executed', source: 'local', target: { kind: 'door', doorId, action: 'unlock' } });
  });

  it('refuses an event replayed after a restart while the first copy still waits for upload', async () => {
    const site = uniqueSite('replay');
    const dataDir = tempDir();
    const event = JSON.stringify({ id: randomUUID(), type: 'motion', ts: Date.now() });
    const publishOnce = async (): Promise<void> => {
      const device = await mqtt.connectAsync(edge!.mqttUrl, { clientId: `pir-${randomUUID()}`, reconnectPeriod: 0 });
      await device.publishAsync(deviceTopic(site, 'pir-1', 'events'), event, { qos: 1 });
      await device.endAsync();
    };
    edge = await startTestEdge({ site, dataDir });
    await publishOnce();
    await edge.stop();
    edge = await startTestEdge({ site, dataDir });
    await publishOnce();
    const stored = (edge.outbox.nextBatch(1_000)?.events ?? []).filter((e) => e.type === 'motion');
    expect(stored).toHaveLength(1);
    const metrics = await (await fetch(`${edge.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/edge_malformed_messages_total\{kind="replay"\} 1/);
  });

  it('refuses a fire alarm replayed after its original was uploaded, the fire reset and the edge restarted', async () => {
    const dataDir = tempDir();
    s = await startScenario({ dataDir });
    await s.devices.config({ id: 'fire-panel', kind: 'fire-panel', name: 'Fire panel' });
    await s.devices.config({ id: 'door-1', kind: 'door', name: 'Door 1', zoneId: 'lobby' });
    await waitFor(() => s!.edge.ctx.registry.size === 2, 'registered');
    const alarm = JSON.stringify({ id: randomUUID(), type: 'fire.alarm', ts: Date.now() });
    await s.devices.raw(s.devices.topic('fire-panel', 'events'), alarm);
    await waitFor(() => s!.edge.ctx.modes.state.fireActive, 'fire active');
    await s.devices.event('fire-panel', 'fire.clear');
    await waitFor(() => s!.edge.ctx.modes.panelsInAlarm.length === 0, 'panel cleared');
    expect(await setMode(s, 'normal', { issuerRole: 'site-manager' })).toMatchObject({ status: 'executed' });
    await waitFor(() => s!.edge.outbox.depth === 0, 'everything uploaded');
    await s.devices.close();
    await s.edge.stop();

    const flags = ['--cloud', s.cloud.url, '--token', await s.cloud.edgeToken(s.siteId), '--reconnect-min-ms', '50'];
    edge = await startTestEdge({ site: s.siteId, dataDir, flags });
    const devices = await TestDevices.connect(edge.mqttUrl, s.siteId);
    try {
      // The panel never heard our acknowledgement and sends its buffered alarm again.
      await devices.raw(devices.topic('fire-panel', 'events'), alarm);
      expect(edge.ctx.modes.state).toMatchObject({ mode: 'normal', fireActive: false });
      expect(devices.commands.filter((c) => c.action === 'unlock')).toHaveLength(0);
      expect(edge.outbox.nextBatch(1_000)?.events.filter((e) => e.type === 'fire.alarm') ?? []).toHaveLength(0);
      expect(await (await fetch(`${edge.httpUrl}/metrics`)).text()).toMatch(/edge_malformed_messages_total\{kind="replay"\} 1/);
    } finally {
      await devices.close();
    }
  });

  it('prunes resolved alerts older than the retention from the site document, and keeps open ones', async () => {
    edge = await startTestEdge({ site: uniqueSite('prune'), flags: ['--alert-retention-ms', '300'] });
    const alerts = edge.ctx.site.alerts;
    const now = Date.now();
    const first = alerts.raise('tamper', { deviceId: 'cam-1' }, now);
    alerts.clear('tamper', 'cam-1', now);
    alerts.raise('tamper', { deviceId: 'cam-2' }, now);
    alerts.raise('tamper', { deviceId: 'cam-3' }, now);
    alerts.clear('tamper', 'cam-3', now);
    // A person resolved cam-1's alarm; cam-3's cause cleared but nobody resolved it: it stays.
    resolveAlert(edge.doc, first, { by: 'gangnam.manager', at: now, where: 'lan' });
    const tamper = () => listAlerts(edge!.doc).filter((a) => a.type === 'tamper');
    expect(tamper()).toHaveLength(3);
    await waitFor(() => tamper().length === 2, 'resolved alert pruned');
    expect(tamper().map((a) => [a.deviceId, a.state, a.causeCleared]).sort()).toEqual([
      ['cam-2', 'open', false],
      ['cam-3', 'open', true],
    ]);
  });
});
