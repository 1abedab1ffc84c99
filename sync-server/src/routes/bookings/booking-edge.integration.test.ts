import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@cr/shared';
import { eventually, startTestCloud, type TestCloud } from '../../testing/test-cloud';
import { startEdgeProcess, type EdgeProcess } from '../../testing/edge-process';
import { MqttDevices } from '../../testing/mqtt-devices';
import { CloudApi } from '../../onboard/cloud-api';

/**
 * CONTRACT.md §8 on real processes: the demo cloud, the gangnam edge process with its broker and
 * the meeting room's door and reader over MQTT. The member holds no grant on `meeting`; only the
 * booking opens it. Short bookings (seconds) and a 3 s grace keep the clock real.
 */
const SITE = 'gangnam';
const GRACE_MS = 3000;
type Booking = { id: string; state: string; checkedInAt?: number; releasedAt?: number; resourceId?: string };
let t: TestCloud;
let url: string;
let dir: string;
let edge: EdgeProcess;
let devices: MqttDevices;
let admin: CloudApi;
let manager: CloudApi;

const sleepUntil = (ts: number) => new Promise((r) => setTimeout(r, Math.max(0, ts - Date.now())));
const swipe = () => devices.swipe('reader-meeting', 'card-booker');
const book = (start: number, end: number, resourceId = 'meeting-room') =>
  manager.expect<Booking>([201], 'POST', `/api/v1/sites/${SITE}/bookings`, { resourceId, memberId: 'm-booker', start, end });
const stateOf = async (id: string) => admin.expect<Booking>([200], 'GET', `/api/v1/bookings/${id}`);
const link = (connected: boolean) =>
  fetch(`${edge.httpUrl}/api/v1/link`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connected }) });

beforeAll(async () => {
  t = await startTestCloud({ config: { noShowGraceMs: GRACE_MS } });
  url = (await t.cloud.listen(0)).url;
  dir = mkdtempSync(join(tmpdir(), 'booking-edge-'));
  admin = await CloudApi.login(url, 'admin@demo.local', DEMO_PASSWORD);
  manager = await CloudApi.login(url, 'gangnam.manager@demo.local', DEMO_PASSWORD);
  await admin.expect([200, 201], 'PUT', '/api/v1/members/m-booker', {
    name: 'Booker',
    active: true,
    secureMode: false,
    offlineWhitelist: false,
    credentials: [{ type: 'card', value: 'card-booker' }],
    grants: [{ zoneIds: ['lobby'] }],
  });
  // No early entry, so "not before the start" is a matter of seconds.
  await admin.expect([200, 201], 'PUT', `/api/v1/sites/${SITE}/resources/meeting-room`, { kind: 'meeting-room', name: '회의실 Meeting room', zoneId: 'meeting', capacity: 8, rules: { earlyEntryMs: 0 } });
  const { token } = await admin.expect<{ token: string }>([200], 'GET', `/api/v1/demo/edge-token/${SITE}`);
  edge = await startEdgeProcess({ siteId: SITE, cloudUrl: url, token, dataDir: dir, flags: ['--test-controls'] });
  devices = await MqttDevices.connect(edge.mqttUrl, SITE);
  await devices.announce({ id: 'door-meeting', kind: 'door', name: 'Meeting door', zoneId: 'meeting' });
  await devices.announce({ id: 'reader-meeting', kind: 'reader', name: 'Meeting reader', zoneId: 'meeting', doorId: 'door-meeting' });
  await eventually(async () => ((await swipe()).reason === 'no-grant' ? true : undefined), 20_000, 'reader answering for the member');
}, 90_000);
afterAll(async () => {
  await devices?.close();
  await edge?.service.stop();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a booking opens its room at the edge, online and offline', () => {
  it('opens by the booking during it and not before or after; the grant checks it in', { timeout: 40_000 }, async () => {
    const start = Date.now() + 4000;
    const b = await book(start, start + 6000);
    expect(await swipe()).toMatchObject({ granted: false, reason: 'no-grant' });
    await sleepUntil(start + 300);
    expect(await swipe()).toMatchObject({ granted: true, reason: 'booking', memberId: 'm-booker' });
    await eventually(async () => ((await stateOf(b.id)).state === 'checked-in' ? true : undefined), 10_000, 'cloud sees the check-in');
    await sleepUntil(start + 6300);
    expect(await swipe()).toMatchObject({ granted: false, reason: 'no-grant' });
  });

  it('with the link cut the card still opens, and the check-in reaches the cloud once the link is back', { timeout: 40_000 }, async () => {
    const start = Date.now() + 3000;
    const b = await book(start, start + 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    await link(false);
    try {
      await sleepUntil(start + 300);
      expect(await swipe()).toMatchObject({ granted: true, reason: 'booking' });
      expect((await stateOf(b.id)).state).toBe('booked');
    } finally {
      await link(true);
    }
    const settled = await eventually(async () => {
      const s = await stateOf(b.id);
      return s.state === 'checked-in' ? s : undefined;
    }, 15_000, 'check-in uploaded after reconnect');
    expect(settled.checkedInAt).toBeGreaterThanOrEqual(start);
    expect(settled.checkedInAt).toBeLessThan(start + 2000);
    await manager.expect([200, 204], 'DELETE', `/api/v1/bookings/${b.id}`);
  });

  it('a booking never checked in is released after the grace by the edge alone; the card stops opening and the slot can be booked again', { timeout: 60_000 }, async () => {
    const start = Date.now() + 3000;
    const end = start + 40_000;
    const b = await book(start, end);
    await new Promise((r) => setTimeout(r, 1500));
    await link(false);
    try {
      await sleepUntil(start + GRACE_MS + 1000);
      expect(await swipe()).toMatchObject({ granted: false, reason: 'no-grant' });
    } finally {
      await link(true);
    }
    const released = await eventually(async () => {
      const s = await stateOf(b.id);
      return s.state === 'released' ? s : undefined;
    }, 15_000, 'cloud agrees the booking is released');
    expect(released.releasedAt).toBe(start + GRACE_MS);
    // The released slot is free: booked again, and the new booking opens the room at once.
    const again = await book(Date.now(), end);
    expect(again.state).toBe('booked');
    await eventually(async () => ((await swipe()).reason === 'booking' ? true : undefined), 10_000, 'the new booking opens the room');
    await eventually(async () => ((await stateOf(again.id)).state === 'checked-in' ? true : undefined), 10_000, 'and is checked in');
    expect((await stateOf(b.id)).state).toBe('released');
    await manager.expect([200, 204], 'DELETE', `/api/v1/bookings/${again.id}`);
  });

  it('after a spell offline the cloud and the edge agree on every booking: checked in, released, cancelled and booked meanwhile', { timeout: 60_000 }, async () => {
    const start = Date.now() + 3000;
    const checkedIn = await book(start, start + 30_000);
    const noShow = await book(start, start + 30_000, 'phone-booth');
    const cancelled = await book(start + 20_000, start + 40_000, 'recharging-zone');
    await new Promise((r) => setTimeout(r, 1500));
    await link(false);
    let bookedMeanwhile: Booking;
    try {
      await sleepUntil(start + 300);
      expect(await swipe()).toMatchObject({ granted: true, reason: 'booking' });
      // While the edge is away: a cancellation and a new booking in the cloud; the no-show's grace runs out at the edge.
      await manager.expect([200, 204], 'DELETE', `/api/v1/bookings/${cancelled.id}`);
      bookedMeanwhile = await book(start + 32_000, start + 50_000);
      await sleepUntil(start + GRACE_MS + 1000);
    } finally {
      await link(true);
    }
    const ids = [checkedIn.id, noShow.id, cancelled.id, bookedMeanwhile.id];
    const lan = (await (await t.api('POST', '/api/v1/auth/lan-token', { token: await t.token('gangnam.manager@demo.local') })).json()) as { token: string };
    const atEdge = async () => {
      const res = await fetch(`${edge.httpUrl}/api/v1/bookings`, { headers: { authorization: `Bearer ${lan.token}` } });
      expect(res.status).toBe(200);
      return new Map(((await res.json()) as Booking[]).map((b) => [b.id, b]));
    };
    const view = (b: Booking | undefined) => (b === undefined || b.state === 'cancelled' ? 'gone' : `${b.state}|${b.checkedInAt ?? '-'}|${b.releasedAt ?? '-'}`);
    const agreed = await eventually(async () => {
      const edgeSide = await atEdge();
      const cloudSide = await Promise.all(ids.map(stateOf));
      const pairs = cloudSide.map((c) => [view(c), view(edgeSide.get(c.id))] as const);
      return pairs.every(([c, e]) => c === e) ? cloudSide : undefined;
    }, 20_000, 'the cloud and the edge agree on every booking');
    expect(agreed.map((b) => b.state)).toEqual(['checked-in', 'released', 'cancelled', 'booked']);
    for (const id of [checkedIn.id, bookedMeanwhile.id]) await manager.expect([200, 204], 'DELETE', `/api/v1/bookings/${id}`);
  });
});
