import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type EdgeBooking, type SiteEvent } from '@cr/shared';
import type { RunningEdge } from '../src/edge';
import { startScenario, type Scenario } from './support/scenario';
import { TestDevices } from './support/device';
import { startTestEdge, tempDir } from './support/test-edge';
import { waitFor } from './support/wait';
import { pause } from './support/offline-site';
import { Simulator } from '../src/sim/simulator';

const MIN = 60_000;

/** A booking of the meeting room for `m-nogrant`, who has no grant on `meeting`. */
const booking = (over: Partial<EdgeBooking> = {}): EdgeBooking => {
  const now = Date.now();
  return {
    id: randomUUID(),
    resourceId: 'meeting-room',
    zoneId: 'meeting',
    memberId: 'm-nogrant',
    start: now - MIN,
    end: now + 30 * MIN,
    state: 'booked',
    graceMs: 15 * MIN,
    earlyMs: 5 * MIN,
    ...over,
  };
};

const outboxEvents = (edge: RunningEdge): SiteEvent[] => edge.outbox.nextBatch(10_000)?.events ?? [];
const ofBooking = (events: Iterable<SiteEvent>, type: string, id: string): SiteEvent[] => [...events].filter((e) => e.type === type && e.data?.bookingId === id);

/** CONTRACT.md §8 at the edge: a booking opens its zone, online or not, and is checked in or released there. */
describe('bookings at the edge', () => {
  let s: Scenario | undefined;
  let restarted: { edge: RunningEdge; devices: TestDevices } | undefined;
  afterEach(async () => {
    await restarted?.devices.close();
    await restarted?.edge.stop();
    await s?.close();
    s = restarted = undefined;
  });

  const held = (edge: RunningEdge, id: string) => waitFor(() => edge.ctx.bookings.book.get(id), `booking ${id} held`);

  it('opens the meeting room by the booking for a member without a grant, only from start − early until the end', async () => {
    s = await startScenario();
    const { readerId, doorId } = await s.devices.doorWithReader('meeting');
    await waitFor(() => s!.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    const now = Date.now();
    // Starts in 10 min: now is before start − early − 1 min.
    const upcoming = booking({ start: now + 11 * MIN, end: now + 40 * MIN });
    const ended = booking({ start: now - 60 * MIN, end: now - 1_000, state: 'checked-in', checkedInAt: now - 58 * MIN });
    s.cloud.broadcast({ type: 'bookings', kind: 'snapshot', upserts: [upcoming, ended], removals: [] });
    await held(s.edge, upcoming.id);
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: false, reason: 'no-grant' });
    expect(s.devices.commandsFor(doorId)).toEqual([]);

    const running = booking();
    s.cloud.broadcast({ type: 'bookings', kind: 'delta', upserts: [running], removals: [] });
    await held(s.edge, running.id);
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: true, reason: 'booking', memberId: 'm-nogrant' });
    await waitFor(() => s!.devices.commandsFor(doorId).find((c) => c.action === 'pulse-unlock'), 'door pulsed');
    // Recorded like any decision, with the booking, and the grant checked the booking in.
    const granted = await waitFor(() => [...s!.cloud.events.values()].find((e) => e.type === 'access.granted' && e.data?.reason === 'booking'), 'grant uploaded');
    expect(granted.data).toMatchObject({ memberId: 'm-nogrant', zoneId: 'meeting', bookingId: running.id });
    await waitFor(() => ofBooking(s!.cloud.events.values(), 'booking.checked-in', running.id).length === 1, 'check-in uploaded');
    expect(s.edge.ctx.bookings.book.state(running.id, Date.now())?.state).toBe('checked-in');
    // Someone else's booking does not open the room for this member; the ordinary grant stays ordinary.
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: false, reason: 'no-grant' });

    s.cloud.broadcast({ type: 'bookings', kind: 'delta', upserts: [], removals: [running.id] });
    await waitFor(() => !s!.edge.ctx.bookings.book.get(running.id), 'booking removed');
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: false, reason: 'no-grant' });
    const metrics = await (await fetch(`${s.edge.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/edge_booking_grants_total 1/);
  });

  it('a booking never overrides lockdown', async () => {
    s = await startScenario();
    const { readerId } = await s.devices.doorWithReader('meeting');
    await waitFor(() => s!.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    const b = booking();
    s.cloud.broadcast({ type: 'bookings', kind: 'snapshot', upserts: [b], removals: [] });
    await held(s.edge, b.id);
    s.edge.ctx.modes.apply({ ...s.edge.ctx.modes.state, mode: 'lockdown', changedAt: Date.now(), changedBy: 'test' }, Date.now(), 'test');
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: false, reason: 'site-mode' });
    expect(s.edge.ctx.bookings.book.state(b.id, Date.now())?.state).toBe('booked');
  });

  it('with the cloud link down the card still opens, and the check-in reaches the cloud once when the link returns', async () => {
    s = await startScenario();
    const { readerId } = await s.devices.doorWithReader('meeting');
    await waitFor(() => s!.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    const b = booking();
    // What the cloud knows: booked. It sends the same snapshot again after reconnect (it predates the check-in).
    s.cloud.bookings = [b];
    s.edge.uplink!.link.reconnect();
    await held(s.edge, b.id);
    s.edge.uplink!.setEnabled(false);
    await waitFor(() => s!.edge.uplink?.connected === false, 'link down');

    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: true, reason: 'booking' });
    const waiting = await waitFor(() => ofBooking(outboxEvents(s!.edge), 'booking.checked-in', b.id)[0], 'check-in in the outbox');
    expect(waiting.data).toMatchObject({ bookingId: b.id, kind: 'check-in', source: 'grant' });
    expect(ofBooking(s.cloud.events.values(), 'booking.checked-in', b.id)).toEqual([]);

    s.edge.uplink!.setEnabled(true);
    await waitFor(() => ofBooking(s!.cloud.events.values(), 'booking.checked-in', b.id).length > 0, 'check-in uploaded');
    await waitFor(() => s!.edge.outbox.depth === 0, 'outbox drained');
    expect(ofBooking(s.cloud.events.values(), 'booking.checked-in', b.id)).toHaveLength(1);
    expect(s.cloud.duplicates).toBe(0);
    // The snapshot after reconnect said `booked`; the check-in observed offline stands.
    expect(s.edge.ctx.bookings.book.state(b.id, Date.now())?.state).toBe('checked-in');
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: true, reason: 'booking' });
  });

  it('releases a booking never checked in after the grace, with no link, and the card no longer opens by it', async () => {
    s = await startScenario();
    const { readerId } = await s.devices.doorWithReader('meeting');
    await waitFor(() => s!.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    const b = booking({ start: Date.now(), graceMs: 1_500, earlyMs: 0 });
    s.cloud.broadcast({ type: 'bookings', kind: 'snapshot', upserts: [b], removals: [] });
    await held(s.edge, b.id);
    s.edge.uplink!.setEnabled(false);
    await waitFor(() => s!.edge.uplink?.connected === false, 'link down');

    const released = await waitFor(() => ofBooking(outboxEvents(s!.edge), 'booking.released', b.id)[0], 'no-show release in the outbox', 5_000);
    expect(released.data).toEqual({ bookingId: b.id, kind: 'release', at: b.start + 1_500, source: 'no-show' });
    expect(s.edge.ctx.bookings.book.state(b.id, Date.now())?.state).toBe('released');
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: false, reason: 'no-grant' });
    await pause(300);
    expect(ofBooking(outboxEvents(s.edge), 'booking.released', b.id)).toHaveLength(1);
    expect(s.edge.ctx.site.view.resourceUse().meeting).toMatchObject({ inUse: false });
  });

  it('a restart offline keeps the booking and the facts observed', async () => {
    const dataDir = tempDir();
    s = await startScenario({ dataDir });
    const { readerId } = await s.devices.doorWithReader('meeting');
    await waitFor(() => s!.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    const b = booking();
    s.cloud.broadcast({ type: 'bookings', kind: 'snapshot', upserts: [b], removals: [] });
    await held(s.edge, b.id);
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: true, reason: 'booking' });
    await waitFor(() => s!.edge.ctx.site.view.resourceUse().meeting?.inUse, 'room shown in use');
    await s.devices.close();
    await s.edge.stop();

    // The same gateway, started without its cloud.
    const edge = await startTestEdge({ site: s.siteId, dataDir });
    const devices = await TestDevices.connect(edge.mqttUrl, s.siteId);
    restarted = { edge, devices };
    expect(edge.ctx.bookings.book.get(b.id)).toEqual(b);
    expect(edge.ctx.bookings.book.factsOf(b.id)).toMatchObject([{ kind: 'check-in', source: 'grant' }]);
    expect(edge.ctx.bookings.book.state(b.id, Date.now())?.state).toBe('checked-in');
    expect(await devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: true, reason: 'booking' });
    await pause(100);
    expect(ofBooking(outboxEvents(edge), 'booking.checked-in', b.id)).toEqual([]);
  });

  it('a simulated kiosk checks a booking in by card, and the meeting room has a reader and a motion sensor', async () => {
    s = await startScenario();
    const sim = new Simulator({ siteId: s.siteId, mqttUrl: s.edge.mqttUrl, devices: 40, rate: 0, stateMs: 60_000 });
    try {
      await sim.start();
      await waitFor(() => s!.edge.ctx.registry.get('kiosk-lobby') && s!.edge.ctx.registry.doorOfReader('reader-meeting')?.zoneId === 'meeting', 'kiosk and meeting reader registered');
      expect(s.edge.ctx.registry.get('pir-meeting')?.config.zoneId).toBe('meeting');
      // A zone without a motion sensor, so only the kiosk can check it in.
      const b = booking({ zoneId: 'phone-1', start: Date.now() + 2 * MIN });
      s.cloud.broadcast({ type: 'bookings', kind: 'snapshot', upserts: [b], removals: [] });
      await held(s.edge, b.id);
      sim.checkin('kiosk-lobby', { card: 'card-nogrant' });
      const fact = await waitFor(() => ofBooking(s!.cloud.events.values(), 'booking.checked-in', b.id)[0], 'kiosk check-in uploaded');
      expect(fact).toMatchObject({ deviceId: 'kiosk-lobby', data: { kind: 'check-in', source: 'kiosk' } });
      expect(s.edge.ctx.bookings.book.state(b.id, Date.now())?.state).toBe('checked-in');
    } finally {
      await sim.stop();
    }
  });

  it('serves the bookings on the LAN API to a person of the site, not to anyone', async () => {
    s = await startScenario();
    const b = booking();
    s.cloud.broadcast({ type: 'bookings', kind: 'snapshot', upserts: [b], removals: [] });
    await held(s.edge, b.id);
    expect((await fetch(`${s.edge.httpUrl}/api/v1/bookings`)).status).toBe(401);
    const vendor = await s.cloud.userToken('vendor', [s.siteId]);
    expect((await fetch(`${s.edge.httpUrl}/api/v1/bookings`, { headers: { authorization: `Bearer ${vendor}` } })).status).toBe(403);
    const manager = await s.cloud.userToken('site-manager', [s.siteId]);
    const res = await fetch(`${s.edge.httpUrl}/api/v1/bookings`, { headers: { authorization: `Bearer ${manager}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([expect.objectContaining({ id: b.id, zoneId: 'meeting', state: 'booked' })]);
  });
});
