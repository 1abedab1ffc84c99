import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { findUnresolved, listAlerts, localTime } from '@cr/shared';
import { afterHoursPresence, isAfterHours, parseSiteHours } from '../src/domain/after-hours';
import { parseEdgeConfig, ConfigError } from '../src/config';
import { startTestEdge, uniqueSite } from './support/test-edge';
import { TestDevices } from './support/device';
import { FakeCloud } from './support/fake-cloud';
import { waitFor } from './support/wait';
import type { RunningEdge } from '../src/edge';

const clock = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

describe('site hours', () => {
  it('parses HH:MM-HH:MM and refuses the rest', () => {
    expect(parseSiteHours('07:00-23:00')).toEqual({ open: 420, close: 1380 });
    expect(parseSiteHours('18:00-02:00')).toEqual({ open: 1080, close: 120 });
    for (const bad of ['7:00-23:00', '07:00-07:00', '07:00', '25:00-01:00', '07:00-23:60', ' - ', '']) expect(parseSiteHours(bad)).toBeUndefined();
    expect(() => parseEdgeConfig(['--site', 'a', '--site-hours', '9-18'])).toThrow(ConfigError);
    expect(parseEdgeConfig(['--site', 'a', '--site-hours', '09:00-18:00']).siteHours).toEqual({ open: 540, close: 1080 });
    expect(parseEdgeConfig(['--site', 'a']).siteHours).toBeUndefined();
  });

  it('a minute is after hours exactly when it is outside [open, close), across midnight too (Seoul time)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 4_000_000_000_000 }), (open, close, ts) => {
        fc.pre(open !== close);
        const minute = localTime(ts, 'Asia/Seoul').minuteOfDay;
        const inside = open < close ? minute >= open && minute < close : minute >= open || minute < close;
        expect(isAfterHours(ts, 'Asia/Seoul', { open, close })).toBe(!inside);
        // The same instant is after hours under the complementary hours exactly when it is not under these.
        expect(isAfterHours(ts, 'Asia/Seoul', { open: close, close: open })).toBe(inside);
      }),
      { seed: 1207, numRuns: 500 },
    );
  });

  it('raises for the zones with people only after hours, most occupied first', () => {
    const noon = Date.UTC(2026, 11, 7, 3, 0); // 12:00 in Seoul
    const hours = { open: 9 * 60, close: 18 * 60 };
    expect(afterHoursPresence(noon, 'Asia/Seoul', hours, { lobby: 3 }).present).toBe(false);
    const night = Date.UTC(2026, 11, 7, 14, 0); // 23:00 in Seoul
    expect(afterHoursPresence(night, 'Asia/Seoul', hours, { lobby: 1, office: 2, lounge: 0 })).toEqual({
      present: true,
      zones: [
        { zoneId: 'office', count: 2 },
        { zoneId: 'lobby', count: 1 },
      ],
    });
    expect(afterHoursPresence(night, 'Asia/Seoul', hours, { lobby: 0 }).present).toBe(false);
    expect(afterHoursPresence(night, 'Asia/Seoul', undefined, { lobby: 5 }).present).toBe(false);
  });
});

describe('after-hours presence on an edge that cannot reach the cloud', () => {
  let edge: RunningEdge | undefined;
  let devices: TestDevices | undefined;
  afterEach(async () => {
    await devices?.close();
    await edge?.stop();
  });

  it('raises presence.after-hours when people are counted after closing, and latches when they leave', async () => {
    const site = uniqueSite();
    // The cloud the edge was set up with is gone: nothing listens there any more.
    const cloud = await FakeCloud.start();
    const token = await cloud.edgeToken(site);
    const url = cloud.url;
    await cloud.close();
    // Hours that ended an hour ago (in the site's default zone, Seoul) and open again in three hours.
    const now = localTime(Date.now(), 'Asia/Seoul').minuteOfDay;
    const hours = `${clock((now + 180) % 1440)}-${clock((now + 1440 - 60) % 1440)}`;
    edge = await startTestEdge({ site, flags: ['--cloud', url, '--token', token, '--site-hours', hours, '--state-write-ms', '1'] });
    devices = await TestDevices.connect(edge.mqttUrl, site);
    await devices.config({ id: 'pir-office', kind: 'pir', name: 'Office PIR', zoneId: 'office' });
    await devices.availability('pir-office', 'online');
    await devices.state('pir-office', { motion: false, occupancy: 0 });
    expect(edge.uplink?.connected ?? false).toBe(false);

    await devices.state('pir-office', { motion: true, occupancy: 2 });
    const [alert] = await waitFor(() => {
      const a = findUnresolved(edge!.doc, { type: 'presence.after-hours' });
      return a.length > 0 ? a : undefined;
    }, 'after-hours presence alarm');
    expect(alert).toMatchObject({ category: 'security', severity: 'major', zoneId: 'office', source: 'edge', state: 'open', causeCleared: false });
    expect(alert!.message).toContain('office: 2');
    expect(alert!.id).toBe(`${site}.edge.presence.after-hours.${alert!.raisedAt}`);

    // Everyone left: the cause cleared, the alarm stays for a person to see; nobody back → no second alarm.
    await devices.state('pir-office', { motion: false, occupancy: 0 });
    await waitFor(() => findUnresolved(edge!.doc, { type: 'presence.after-hours' })[0]?.causeCleared === true, 'cause cleared');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(listAlerts(edge.doc).filter((a) => a.type === 'presence.after-hours')).toHaveLength(1);
    expect(findUnresolved(edge.doc, { type: 'presence.after-hours' })[0]).toMatchObject({ state: 'open', causeCleared: true });
  });
});
