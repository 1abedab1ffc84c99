import { afterEach, describe, expect, it } from 'vitest';
import type { ReportedDevice } from '@cr/shared';
import { startScenario, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

/** The last device list the edge reported to the cloud, by id. */
function lastReport(s: Scenario): Map<string, ReportedDevice> | undefined {
  const r = s.cloud.deviceReports.at(-1);
  return r ? new Map(r.devices.map((d) => [d.id, d])) : undefined;
}

const reportWhere = (s: Scenario, what: string, pred: (devices: Map<string, ReportedDevice>) => boolean) =>
  waitFor(() => {
    const devices = lastReport(s);
    return devices && pred(devices) ? devices : undefined;
  }, what);

describe('the edge reports its device list to the cloud', () => {
  let s: Scenario;
  afterEach(() => s.close());

  it('sends the list after the welcome and again on every change: a device joining, going offline, admitted, removed', async () => {
    s = await startScenario({ commissioning: false });
    await waitFor(() => s.cloud.deviceReports.length > 0, 'a report after the welcome');

    await s.devices.doorWithReader('lobby');
    await s.devices.config({ id: 'env-1', kind: 'env', name: 'Climate', zoneId: 'lounge', firmware: '1.2.0', model: 'EC-3' });
    await s.devices.availability('env-1', 'online');
    const joined = await reportWhere(s, 'door, reader and climate sensor reported', (d) => d.get('env-1')?.online === true && d.has('reader-lobby'));
    expect(joined.get('door-lobby')).toEqual({ id: 'door-lobby', kind: 'door', name: 'Door lobby', zoneId: 'lobby', online: false, approval: 'pending' });
    expect(joined.get('reader-lobby')).toMatchObject({ kind: 'reader', doorId: 'door-lobby', approval: 'pending' });
    expect(joined.get('env-1')).toEqual({ id: 'env-1', kind: 'env', name: 'Climate', zoneId: 'lounge', online: true, approval: 'approved', firmware: '1.2.0', model: 'EC-3', lastSeenAt: expect.any(Number) });

    await s.devices.availability('env-1', 'offline');
    await reportWhere(s, 'climate sensor offline', (d) => d.get('env-1')?.online === false);

    const manager = await s.cloud.userToken('site-manager', [s.siteId]);
    const approved = await fetch(`${s.edge.httpUrl}/api/v1/sites/${s.siteId}/devices/door-lobby/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/json' },
      body: JSON.stringify({ zoneId: 'office' }),
    });
    expect(approved.status).toBe(200);
    await reportWhere(s, 'door approved in its placed zone', (d) => d.get('door-lobby')?.approval === 'approved' && d.get('door-lobby')?.zoneId === 'office');

    await s.devices.raw(s.devices.topic('env-1', 'config'), '', true);
    await reportWhere(s, 'climate sensor gone', (d) => !d.has('env-1') && d.has('door-lobby'));
  });

  it('sends the whole list again on a new connection, so a cloud that lost it gets it back', async () => {
    s = await startScenario();
    await s.devices.config({ id: 'light-1', kind: 'light', name: 'Lights', zoneId: 'lobby' });
    await reportWhere(s, 'light reported', (d) => d.has('light-1'));
    const before = s.cloud.welcomes;
    const reports = s.cloud.deviceReports.length;
    s.cloud.dropLinks();
    await waitFor(() => s.cloud.welcomes > before && s.cloud.deviceReports.length > reports, 'a report after the new welcome');
    expect(lastReport(s)?.get('light-1')).toMatchObject({ kind: 'light', approval: 'approved' });
  });
});

describe('the device report carries each device’s health', () => {
  let s: Scenario;
  afterEach(() => s.close());

  it('last seen, battery, errors of the last 24 h and an open flapping episode; a battery out of range is dropped and counted', async () => {
    s = await startScenario({ flags: ['--flap-count', '2', '--flap-window-ms', '60000'] });
    await s.devices.config({ id: 'env-1', kind: 'env', name: 'Climate', zoneId: 'lounge' });
    await s.devices.config({ id: 'power-1', kind: 'power', name: 'Meter', zoneId: 'lounge' });
    await s.devices.availability('env-1', 'online');
    await s.devices.state('env-1', { temperatureC: 22, humidityPct: 40, battery: 15, ts: Date.now() });
    await s.devices.state('power-1', { watts: 120, battery: 80, ts: Date.now() });
    await waitFor(() => s.edge.ctx.watch.health.battery('env-1') === 15, 'battery kept');

    for (const battery of [150, -1, 'low', null]) await s.devices.state('env-1', { temperatureC: 23, humidityPct: 41, battery, ts: Date.now() });
    await s.devices.raw(s.devices.topic('env-1', 'state'), '{not json', true);
    await s.devices.event('env-1', 'fault', { code: 'sensor-drift' });
    // Nothing said about a device that is not registered counts (a stranger could invent ids by the thousand).
    await s.devices.state('ghost-1', { temperatureC: 23, humidityPct: 41, battery: 200, ts: Date.now() });
    await waitFor(() => s.edge.ctx.watch.health.errors24h('env-1', Date.now()) === 6, 'four bad batteries, one bad payload, one fault');
    expect(s.edge.ctx.watch.health.battery('env-1')).toBe(15);
    expect(s.edge.ctx.watch.health.battery('power-1')).toBeUndefined();
    expect(s.edge.ctx.watch.health.errors24h('ghost-1', Date.now())).toBe(0);

    // The readings the bad battery came with still count; only the battery was dropped.
    const stateOf = () => s.edge.ctx.site.devices().find((d) => d.id === 'env-1')?.state as { temperatureC?: number; battery?: number } | undefined;
    await waitFor(() => stateOf()?.temperatureC === 23, 'temperature of the last state taken');
    expect(stateOf()?.battery).toBeUndefined();

    for (let i = 0; i < 3; i++) {
      await s.devices.availability('env-1', 'offline');
      await s.devices.availability('env-1', 'online');
    }
    const env = (await reportWhere(s, 'env-1 flapping with its errors and battery', (d) => d.get('env-1')?.flapping === true && d.get('env-1')?.errors24h === 6)).get('env-1')!;
    expect(env).toMatchObject({ online: true, battery: 15, errors24h: 6, flapping: true });
    expect(env.lastSeenAt).toBeGreaterThan(Date.now() - 10_000);
    const meter = lastReport(s)!.get('power-1')!;
    expect(meter.battery).toBeUndefined();
    expect(meter.flapping).toBeUndefined();
  });
});
