import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findUnresolved, listAlerts, SiteDoc } from '@cr/shared';
import { startTestEdge, uniqueSite } from './support/test-edge';
import { TestDevices } from './support/device';
import { waitFor } from './support/wait';
import type { RunningEdge } from '../src/edge';

describe.each(['embedded', 'mosquitto'] as const)('devices and door safety (%s broker)', (broker) => {
  let edge: RunningEdge;
  let devices: TestDevices;
  let site: string;
  const open = (type: string, deviceId: string) => findUnresolved(edge.doc, { type, deviceId });
  /** Latching: the cause cleared, the alarm is still there for a person to resolve. */
  const latched = (type: string, deviceId: string) => {
    const a = open(type, deviceId);
    return a.length === 1 && a[0]!.causeCleared && a[0]!.state === 'open';
  };

  beforeEach(async () => {
    site = uniqueSite();
    edge = await startTestEdge({ site, broker, flags: ['--held-open-ms', '300', '--device-stale-ms', '600', '--state-write-ms', '1'] });
    devices = await TestDevices.connect(edge.mqttUrl, site);
  });
  afterEach(async () => {
    await devices.close();
    await edge.stop();
  });

  it('registers devices from retained config, removes them on an empty payload, keeps operator pins', async () => {
    await devices.config({ id: 'env-1', kind: 'env', name: 'Climate', zoneId: 'lounge', position: { x: 10, y: 20 } });
    const view = new SiteDoc(edge.doc);
    await waitFor(() => view.device('env-1'), 'env-1 in the site document');
    expect(view.device('env-1')).toMatchObject({ kind: 'env', zoneId: 'lounge', position: { x: 10, y: 20 } });
    view.setDevicePosition('env-1', { x: 500, y: 500 }, 'hq', Date.now());
    await devices.config({ id: 'env-1', kind: 'env', name: 'Climate 2', zoneId: 'lounge', position: { x: 10, y: 20 } });
    await waitFor(() => view.device('env-1')?.name === 'Climate 2', 'rename');
    expect(view.device('env-1')?.position).toEqual({ x: 500, y: 500 });
    await devices.raw(devices.topic('env-1', 'config'), '', true);
    await waitFor(() => !edge.ctx.registry.get('env-1') && !view.device('env-1'), 'env-1 removed');
  });

  it('tracks availability (LWT), raises device.offline and marks its cause cleared on recovery, leaving it open', async () => {
    await devices.config({ id: 'cam-1', kind: 'camera', name: 'Camera' });
    await devices.availability('cam-1', 'online');
    const view = new SiteDoc(edge.doc);
    await waitFor(() => view.device('cam-1')?.online, 'cam-1 online');
    await devices.availability('cam-1', 'offline');
    await waitFor(() => open('device.offline', 'cam-1').length === 1, 'offline alert');
    expect(view.device('cam-1')?.online).toBe(false);
    await devices.availability('cam-1', 'online');
    await waitFor(() => latched('device.offline', 'cam-1'), 'cause cleared, alert open');
    const alert = listAlerts(edge.doc).find((a) => a.deviceId === 'cam-1')!;
    expect(alert.resolutions).toEqual([]);
    expect(alert.causes).toEqual([expect.objectContaining({ state: 'cleared', by: 'edge', reason: 'device back online' })]);
    // Offline again before anyone resolved it: the same alarm, its cause active again.
    await devices.availability('cam-1', 'offline');
    await waitFor(() => open('device.offline', 'cam-1')[0]?.causeCleared === false, 'cause back');
    expect(listAlerts(edge.doc).filter((a) => a.deviceId === 'cam-1')).toHaveLength(1);
  });

  it('marks a silent device offline after the staleness limit', async () => {
    await devices.config({ id: 'pir-1', kind: 'pir', name: 'PIR', zoneId: 'lobby' });
    await devices.availability('pir-1', 'online');
    await devices.state('pir-1', { motion: true, occupancy: 3 });
    await waitFor(() => new SiteDoc(edge.doc).occupancy().lobby === 3, 'occupancy');
    await waitFor(() => open('device.offline', 'pir-1').length === 1, 'stale alert', 3_000);
    await devices.state('pir-1', { motion: false, occupancy: 0 });
    await waitFor(() => latched('device.offline', 'pir-1'), 'recovered, alarm latched');
  });

  it('raises door.forced when a locked door opens without a grant; closing it clears the cause, never the alarm', async () => {
    await devices.config({ id: 'door-1', kind: 'door', name: 'Door', zoneId: 'lobby' });
    await devices.state('door-1', { locked: true, open: false });
    await waitFor(() => new SiteDoc(edge.doc).device('door-1')?.state, 'door state');
    await devices.state('door-1', { locked: true, open: true });
    await waitFor(() => open('door.forced', 'door-1').length === 1, 'forced alert');
    await devices.state('door-1', { locked: true, open: false });
    await waitFor(() => latched('door.forced', 'door-1'), 'cause cleared, alarm still open');
    // Still open a while later: nothing but a person resolves it.
    await new Promise((r) => setTimeout(r, 300));
    expect(open('door.forced', 'door-1')).toHaveLength(1);
    expect(listAlerts(edge.doc).filter((a) => a.type === 'door.forced')).toHaveLength(1);
  });

  it('does not call a granted opening forced, but raises door.held-open past the limit', async () => {
    await devices.doorWithReader('lobby', '2');
    await waitFor(() => edge.ctx.registry.doorOfReader('reader-2'), 'door registered');
    edge.ctx.commander.send('door-2', 'pulse-unlock', 'test grant', { durationMs: 1000 });
    await devices.state('door-2', { locked: false, open: true });
    await waitFor(() => open('door.held-open', 'door-2').length === 1, 'held-open alert', 3_000);
    expect(open('door.forced', 'door-2')).toHaveLength(0);
    await devices.state('door-2', { locked: true, open: false });
    await waitFor(() => latched('door.held-open', 'door-2'), 'held-open cause cleared');
  });
});
