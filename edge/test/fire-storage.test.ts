import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { findActive, findUnresolved, type SiteEvent } from '@cr/shared';
import type { RunningEdge } from '../src/edge';
import { startTestEdge, uniqueSite } from './support/test-edge';
import { TestDevices } from './support/device';
import { mountSmallDisk, type SmallDisk } from './support/small-disk';
import { waitFor } from './support/wait';

const DOORS = 20;

async function registerSite(devices: TestDevices, edge: RunningEdge): Promise<void> {
  await Promise.all(Array.from({ length: DOORS }, (_, i) => devices.config({ id: `door-${i}`, kind: 'door', name: `Door ${i}`, zoneId: 'lobby' })));
  await devices.config({ id: 'fire-panel', kind: 'fire-panel', name: 'Fire panel' });
  await devices.config({ id: 'reader-0', kind: 'reader', name: 'Reader', zoneId: 'lobby', doorId: 'door-0' });
  await waitFor(() => edge.ctx.registry.size === DOORS + 2, 'site registered');
}

/** Every event in the outbox, page by page (a page is cut at a byte limit). */
function outboxEvents(edge: RunningEdge): SiteEvent[] {
  const all: SiteEvent[] = [];
  for (let batch = edge.outbox.nextBatch(1_000); batch; batch = edge.outbox.nextBatch(1_000, batch.lastSeq)) all.push(...batch.events);
  return all;
}

const unlockedDoors = (devices: TestDevices): Set<string> => new Set(devices.commands.filter((c) => c.action === 'unlock').map((c) => c.deviceId));

describe('fire on a full disk (a real tmpfs)', () => {
  let disk: SmallDisk | undefined;
  let edge: RunningEdge | undefined;
  let devices: TestDevices | undefined;
  afterEach(async () => {
    await devices?.close();
    await edge?.stop();
    disk?.unmount();
  });

  it('unlocks every door, answers readers, raises a storage alarm, and commits the held events once the disk has room', async () => {
    disk = mountSmallDisk(6);
    const site = uniqueSite('full');
    edge = await startTestEdge({ site, dataDir: disk.dir });
    devices = await TestDevices.connect(edge.mqttUrl, site);
    await registerSite(devices, edge);
    const stored = edge.outbox.depth;
    disk.fill();
    // Device traffic until the disk refuses a commit (the sender is then disconnected: no PUBACK for an event not on disk).
    const flood = await TestDevices.connect(edge.mqttUrl, site);
    for (let i = 0; i < 5_000 && edge.outbox.heldInMemory === 0; i++) {
      await Promise.race([flood.event('door-1', 'motion', { pad: 'x'.repeat(4_000) }).catch(() => undefined), new Promise((r) => setTimeout(r, 200))]);
    }
    await flood.close().catch(() => undefined);
    expect(edge.outbox.heldInMemory).toBeGreaterThan(0);
    await waitFor(() => findUnresolved(edge!.doc, { type: 'storage.failed' }).length === 1, 'storage alarm raised');

    const alarmId = randomUUID();
    const panel = await TestDevices.connect(edge.mqttUrl, site);
    void panel.event('fire-panel', 'fire.alarm', undefined, alarmId).catch(() => undefined);
    await waitFor(() => unlockedDoors(devices!).size === DOORS, 'every door commanded open');
    expect(edge.ctx.modes.state).toMatchObject({ mode: 'emergency-unlock', fireActive: true });
    expect(findUnresolved(edge.doc, { type: 'fire.alarm' })).toHaveLength(1);
    expect(await devices.swipe('reader-0', 'card-anyone')).toMatchObject({ granted: true, reason: 'site-mode' });
    expect(outboxEvents(edge).some((e) => e.id === alarmId)).toBe(false);

    await panel.close().catch(() => undefined);
    disk.free();
    await waitFor(() => edge!.outbox.heldInMemory === 0, 'held events committed', 10_000);
    const onDisk = outboxEvents(edge);
    expect(onDisk.some((e) => e.id === alarmId)).toBe(true);
    expect(onDisk.filter((e) => e.type === 'access.granted')).toHaveLength(1);
    expect(edge.outbox.depth).toBeGreaterThan(stored);
    await waitFor(() => findActive(edge!.doc, { type: 'storage.failed' }).length === 0, 'storage alarm cause cleared');
    expect(findUnresolved(edge.doc, { type: 'storage.failed' })).toHaveLength(1);
    await waitFor(() => !edge!.ctx.modes.unsaved, 'fire state written');

    // The fire state reached the disk: a restarted gateway keeps the doors open.
    await devices.close();
    await edge.stop();
    edge = await startTestEdge({ site, dataDir: disk.dir });
    devices = undefined;
    expect(edge.ctx.modes.state).toMatchObject({ mode: 'emergency-unlock', fireActive: true });
  });
});

describe('fire from the panel state', () => {
  let edge: RunningEdge | undefined;
  let devices: TestDevices | undefined;
  afterEach(async () => {
    await devices?.raw(devices.topic('fire-panel', 'state'), '', true).catch(() => undefined);
    await devices?.close();
    await edge?.stop();
  });

  it('a replacement gateway with an empty disk reads the retained panel state and opens every door; a re-sent alarm changes nothing', async () => {
    const site = uniqueSite('panel');
    const first = await startTestEdge({ site, broker: 'mosquitto' });
    devices = await TestDevices.connect(first.mqttUrl, site);
    await registerSite(devices, first);
    await devices.state('fire-panel', { alarm: true });
    await waitFor(() => first.ctx.modes.state.fireActive, 'fire from the panel state');
    await first.stop();
    devices.commands.length = 0;

    // The gateway dies and a new one (no data) takes over: the panel's retained state still says fire.
    edge = await startTestEdge({ site, broker: 'mosquitto' });
    await waitFor(() => edge!.ctx.modes.state.fireActive, 'replacement gateway in the fire state');
    await waitFor(() => unlockedDoors(devices!).size === DOORS, 'every door commanded open by the replacement');
    const alerts = findUnresolved(edge.doc, { type: 'fire.alarm' });
    expect(alerts).toHaveLength(1);
    await devices.event('fire-panel', 'fire.alarm');
    await devices.state('fire-panel', { alarm: true });
    await waitFor(() => edge!.outbox.nextBatch(1_000)?.events.some((e) => e.type === 'fire.alarm'), 'second alarm recorded');
    expect(findUnresolved(edge.doc, { type: 'fire.alarm' }).map((a) => a.id)).toEqual(alerts.map((a) => a.id));
    expect(edge.ctx.modes.state).toMatchObject({ mode: 'emergency-unlock', fireActive: true });
    expect(edge.ctx.modes.panelsInAlarm).toEqual(['fire-panel']);
  });
});
