import { afterEach, describe, expect, it } from 'vitest';
import { alarmOf, alarmsOf, causeCleared, offlineSite, pause } from './support/offline-site';
import type { Scenario } from './support/scenario';
import { waitFor } from './support/wait';

describe('presence anomalies on an edge that cannot reach the cloud', () => {
  let s: Scenario | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('unauthorized entry: motion in an office nobody was granted into since it emptied raises presence.unauthorized; a granted person does not; it latches once the office is empty', async () => {
    s = await offlineSite(['--zone-empty-ms', '800']);
    const { devices, edge, siteId } = s;
    const { readerId } = await devices.doorWithReader('office');
    await devices.config({ id: 'pir-office', kind: 'pir', name: 'Office PIR', zoneId: 'office' });
    await devices.state('pir-office', { motion: false, occupancy: 0 });
    await waitFor(() => edge.ctx.watch.presence.quietFor('office', Date.now()) !== undefined, 'office reported empty');
    await pause(1_000);

    // A member badges in and moves about in the office: nothing to see.
    expect(await devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
    await devices.state('pir-office', { motion: true, occupancy: 1 });
    await pause(1_200);
    expect(alarmsOf(s, 'presence.unauthorized')).toEqual([]);

    // They leave; the office stays empty; then someone moves in it without any grant.
    await devices.state('pir-office', { motion: false, occupancy: 0 });
    await pause(1_200);
    await devices.state('pir-office', { motion: true, occupancy: 1 });
    const alert = await alarmOf(s, 'presence.unauthorized');
    expect(alert).toMatchObject({ category: 'security', severity: 'major', zoneId: 'office', source: 'edge', state: 'open', causeCleared: false });
    expect(alert.deviceId).toBeUndefined();
    expect(alert.id).toBe(`${siteId}.office.presence.unauthorized.${alert.raisedAt}`);
    expect(alert.message).toContain('motion in office');

    // The intruder leaves: the cause clears, the alarm stays for a person to resolve.
    await devices.state('pir-office', { motion: false, occupancy: 0 });
    expect(await causeCleared(s, 'presence.unauthorized')).toMatchObject({ id: alert.id, state: 'open' });
    expect(alarmsOf(s, 'presence.unauthorized')).toHaveLength(1);
  });

  it('tailgating: two people counted in on one grant raise presence.tailgating; one per grant does not; it latches once entries match grants again', async () => {
    s = await offlineSite(['--tailgate-window-ms', '1500']);
    const { devices, siteId } = s;
    const { readerId } = await devices.doorWithReader('office');
    await devices.config({ id: 'counter-office', kind: 'camera', name: 'Office door counter', zoneId: 'office' });
    await devices.state('counter-office', { recording: true, in: 40, out: 38 });

    // One grant, one person in; then the counter repeats its totals: nothing.
    expect(await devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
    await devices.state('counter-office', { recording: true, in: 41, out: 38 });
    await devices.state('counter-office', { recording: true, in: 41, out: 38 });
    await pause(800);
    expect(alarmsOf(s, 'presence.tailgating')).toEqual([]);

    // One grant, two people in.
    expect(await devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
    await devices.state('counter-office', { recording: true, in: 43, out: 38 });
    const alert = await alarmOf(s, 'presence.tailgating');
    expect(alert).toMatchObject({ category: 'security', severity: 'major', zoneId: 'office', source: 'edge', state: 'open', causeCleared: false, message: '2 people counted entering office on 1 grant' });
    expect(alert.id).toBe(`${siteId}.office.presence.tailgating.${alert.raisedAt}`);

    expect(await causeCleared(s, 'presence.tailgating')).toMatchObject({ id: alert.id, state: 'open' });
    expect(alarmsOf(s, 'presence.tailgating')).toHaveLength(1);
  });

  it('zone over capacity: more people in the meeting room than it holds raise zone.over-capacity; at capacity does not; it latches once people leave', async () => {
    s = await offlineSite(['--zone-capacity', 'meeting=3']);
    const { devices, siteId } = s;
    await devices.config({ id: 'pir-meeting', kind: 'pir', name: 'Meeting PIR', zoneId: 'meeting' });
    await devices.state('pir-meeting', { motion: true, occupancy: 3 });
    await pause(1_200);
    expect(alarmsOf(s, 'zone.over-capacity')).toEqual([]);

    await devices.state('pir-meeting', { motion: true, occupancy: 5 });
    const alert = await alarmOf(s, 'zone.over-capacity');
    expect(alert).toMatchObject({ category: 'safety', severity: 'major', zoneId: 'meeting', source: 'edge', causeCleared: false, message: '5 people in meeting, capacity 3' });
    expect(alert.id).toBe(`${siteId}.meeting.zone.over-capacity.${alert.raisedAt}`);

    await devices.state('pir-meeting', { motion: true, occupancy: 2 });
    expect(await causeCleared(s, 'zone.over-capacity')).toMatchObject({ id: alert.id, state: 'open' });
    expect(alarmsOf(s, 'zone.over-capacity')).toHaveLength(1);
  });
});
