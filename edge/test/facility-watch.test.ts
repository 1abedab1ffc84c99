import { afterEach, describe, expect, it } from 'vitest';
import { findUnresolved } from '@cr/shared';
import { alarmOf, alarmsOf, causeCleared, offlineSite, pause } from './support/offline-site';
import { ConfigError, parseEdgeConfig } from '../src/config';
import type { Scenario } from './support/scenario';

describe('facility anomalies on an edge that cannot reach the cloud', () => {
  let s: Scenario | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('reads the detection thresholds from flags, with the documented defaults, and refuses malformed ones', () => {
    const def = parseEdgeConfig(['--site', 'a']);
    expect(def).toMatchObject({ co2MaxPpm: 1500, co2SustainMs: 300_000, temperatureC: { min: 16, max: 30 }, temperatureSustainMs: 600_000, humidityPct: { min: 20, max: 70 }, zoneEmptyMs: 300_000, flapCount: 5 });
    expect(def.zoneCapacities).toBeUndefined();
    const set = parseEdgeConfig(['--site', 'a', '--temperature-range', '18.5-26', '--humidity-range', '30-60', '--zone-capacity', 'meeting=8,*=40', '--co2-sustain-ms', '1000']);
    expect(set).toMatchObject({ temperatureC: { min: 18.5, max: 26 }, humidityPct: { min: 30, max: 60 }, zoneCapacities: { meeting: 8, '*': 40 }, co2SustainMs: 1000 });
    for (const bad of [['--temperature-range', '30-16'], ['--humidity-range', 'dry'], ['--zone-capacity', 'meeting'], ['--co2-sustain-ms', '0'], ['--flap-count', 'x']]) {
      expect(() => parseEdgeConfig(['--site', 'a', ...bad]), bad.join(' ')).toThrow(ConfigError);
    }
  });

  it('stuffy room: CO2 above the limit for the sustained time raises env.co2-high (a shorter spike does not), temperature its own alarm; both latch when the air is back', async () => {
    s = await offlineSite(['--co2-sustain-ms', '1500', '--temperature-sustain-ms', '1500']);
    const { devices, siteId } = s;
    await devices.config({ id: 'env-office', kind: 'env', name: 'Office climate', zoneId: 'office' });
    const normal = { temperatureC: 22.5, humidityPct: 45, co2ppm: 700 };
    await devices.state('env-office', normal);

    // A spike shorter than the sustained time: somebody breathed on the sensor.
    await devices.state('env-office', { ...normal, co2ppm: 2600 });
    await pause(500);
    await devices.state('env-office', normal);
    await pause(2_000);
    expect(alarmsOf(s, 'env.co2-high')).toEqual([]);

    const since = Date.now();
    await devices.state('env-office', { ...normal, co2ppm: 1800, temperatureC: 31 });
    const co2 = await alarmOf(s, 'env.co2-high');
    expect(co2).toMatchObject({ category: 'facility', severity: 'major', deviceId: 'env-office', zoneId: 'office', source: 'edge', causeCleared: false });
    expect(co2.message).toContain('CO2 1800 ppm, above 1500 ppm');
    expect(co2.raisedAt).toBeGreaterThanOrEqual(since);
    expect(co2.id).toBe(`${siteId}.env-office.env.co2-high.${co2.raisedAt}`);
    expect(await alarmOf(s, 'env.temperature')).toMatchObject({ category: 'facility', severity: 'minor', deviceId: 'env-office' });
    expect(alarmsOf(s, 'env.humidity')).toEqual([]);

    await devices.state('env-office', normal);
    expect(await causeCleared(s, 'env.co2-high')).toMatchObject({ id: co2.id, state: 'open' });
    await causeCleared(s, 'env.temperature');
    expect(alarmsOf(s, 'env.co2-high')).toHaveLength(1);
  });

  it('HVAC: running in a meeting room empty too long raises hvac.empty-zone (not while people are in), missing its set-point raises hvac.setpoint-missed; both latch', async () => {
    s = await offlineSite(['--hvac-empty-ms', '1000', '--hvac-setpoint-ms', '1500']);
    const { devices, siteId } = s;
    await devices.config({ id: 'pir-meeting', kind: 'pir', name: 'Meeting PIR', zoneId: 'meeting' });
    await devices.config({ id: 'hvac-meeting', kind: 'hvac', name: 'Meeting HVAC', zoneId: 'meeting' });
    const cooling = { on: true, mode: 'cool', setpointC: 23, currentC: 23.4 };
    await devices.state('pir-meeting', { motion: true, occupancy: 4 });
    await devices.state('hvac-meeting', cooling);
    await pause(1_800);
    expect(alarmsOf(s, 'hvac.empty-zone')).toEqual([]);
    expect(alarmsOf(s, 'hvac.setpoint-missed')).toEqual([]);

    await devices.state('pir-meeting', { motion: false, occupancy: 0 });
    const empty = await alarmOf(s, 'hvac.empty-zone');
    expect(empty).toMatchObject({ category: 'facility', severity: 'minor', deviceId: 'hvac-meeting', zoneId: 'meeting', causeCleared: false });
    expect(empty.id).toBe(`${siteId}.hvac-meeting.hvac.empty-zone.${empty.raisedAt}`);
    await devices.state('hvac-meeting', { ...cooling, on: false, mode: 'off' });
    expect(await causeCleared(s, 'hvac.empty-zone')).toMatchObject({ id: empty.id, state: 'open' });

    // People back, the unit on again but stuck five degrees above its set-point.
    await devices.state('pir-meeting', { motion: true, occupancy: 2 });
    await devices.state('hvac-meeting', { ...cooling, currentC: 28 });
    const missed = await alarmOf(s, 'hvac.setpoint-missed');
    expect(missed).toMatchObject({ category: 'facility', severity: 'minor', deviceId: 'hvac-meeting', message: 'at 28 °C, set to 23 °C, for 0 min' });
    await devices.state('hvac-meeting', { ...cooling, currentC: 23.5 });
    await causeCleared(s, 'hvac.setpoint-missed');
    expect(alarmsOf(s, 'hvac.empty-zone')).toHaveLength(1);
    expect(alarmsOf(s, 'hvac.setpoint-missed')).toHaveLength(1);
  });

  it('power: a draw above the limit for the sustained time raises power.high-draw, a start-up surge does not; it latches when the draw drops', async () => {
    s = await offlineSite(['--power-max-watts', '5000', '--power-sustain-ms', '1000']);
    const { devices } = s;
    await devices.config({ id: 'power-main', kind: 'power', name: 'Main meter', zoneId: 'lobby' });
    await devices.state('power-main', { watts: 1800 });
    await devices.state('power-main', { watts: 9000 });
    await pause(300);
    await devices.state('power-main', { watts: 1800 });
    await pause(1_500);
    expect(alarmsOf(s, 'power.high-draw')).toEqual([]);

    await devices.state('power-main', { watts: 9000 });
    const alert = await alarmOf(s, 'power.high-draw');
    expect(alert).toMatchObject({ category: 'facility', severity: 'minor', deviceId: 'power-main', message: 'drawing 9000 W, above 5000 W for 1 s' });
    await devices.state('power-main', { watts: 1800 });
    expect(await causeCleared(s, 'power.high-draw')).toMatchObject({ id: alert.id, state: 'open' });
  });

  it('flapping: a camera dropping five times raises one device.flapping, not five; two drops raise none; it latches once the camera stays up', async () => {
    s = await offlineSite(['--flap-count', '3', '--flap-window-ms', '3000']);
    const { devices, edge, siteId } = s;
    for (const id of ['camera-office', 'light-office']) {
      await devices.config({ id, kind: id.startsWith('camera') ? 'camera' : 'light', name: id, zoneId: 'office' });
      await devices.availability(id, 'online');
    }
    const flap = async (id: string, times: number): Promise<void> => {
      for (let i = 0; i < times; i++) {
        await devices.availability(id, 'offline');
        await devices.availability(id, 'online');
      }
    };
    await flap('light-office', 2);
    await flap('camera-office', 5);
    const alert = await alarmOf(s, 'device.flapping');
    expect(alert).toMatchObject({ category: 'facility', severity: 'minor', deviceId: 'camera-office', zoneId: 'office', causeCleared: false, message: 'went offline 4 times within 0.1 min' });
    expect(alert.id).toBe(`${siteId}.camera-office.device.flapping.${alert.raisedAt}`);
    expect(findUnresolved(edge.doc, { type: 'device.flapping', deviceId: 'light-office' })).toEqual([]);
    expect(alarmsOf(s, 'device.flapping')).toHaveLength(1);
    // The drops themselves: one latched offline alarm per device, not one per drop.
    expect(findUnresolved(edge.doc, { type: 'device.offline', deviceId: 'camera-office' })).toHaveLength(1);

    expect(await causeCleared(s, 'device.flapping', 6_000)).toMatchObject({ id: alert.id, state: 'open' });
    expect(alarmsOf(s, 'device.flapping')).toHaveLength(1);
  });
});
