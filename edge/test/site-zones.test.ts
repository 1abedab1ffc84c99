import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SiteDoc, type SiteZoneFacts } from '@cr/shared';
import { startScenario, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

const zones = (...ids: string[]): SiteZoneFacts => ids.map((id) => ({ id, name: `Zone ${id}` }));

/** The site's zones decide where a door or reader is (CONTRACT.md §6), not the device's own config. */
describe("the site's zones place doors and readers", () => {
  let s: Scenario;
  afterEach(() => s.close());

  const listed = (id: string) => s.edge.ctx.registry.get(id);
  const zonesAdopted = (ids: string[]) => waitFor(() => ids.every((id) => s.edge.ctx.zones.name(id) !== undefined) && s.edge.ctx.zones.known, 'zones adopted');

  it('a reader whose config names a zone the site does not have stays pending (even during commissioning) until the zone is created', async () => {
    s = await startScenario();
    s.cloud.broadcast({ type: 'site.zones', zones: zones('lobby') });
    await zonesAdopted(['lobby']);
    const { readerId, doorId } = await s.devices.doorWithReader('server-room', 'vault');
    await waitFor(() => listed(readerId) && listed(doorId), 'registered');
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: false, reason: 'device-pending' });
    expect(s.devices.commandsFor(doorId)).toEqual([]);
    const shown = s.edge.ctx.registry.get(readerId)!;
    expect(shown.config.zoneId).toBeUndefined();
    expect(shown.claimed.zoneId).toBe('server-room');

    s.cloud.broadcast({ type: 'site.zones', zones: zones('lobby', 'server-room') });
    await waitFor(() => listed(doorId)?.config.zoneId === 'server-room', 'door placed once its zone exists');
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: true });
  });

  it('moving a door to another zone changes the zone its next decision is made for, at once', async () => {
    s = await startScenario();
    s.cloud.broadcast({ type: 'site.zones', zones: zones('lobby', 'server-room') });
    await zonesAdopted(['lobby', 'server-room']);
    const { readerId, doorId } = await s.devices.doorWithReader('lobby', 'a');
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: false, reason: 'no-grant' });

    s.cloud.broadcast({ type: 'device.place', deviceId: doorId, zoneId: 'server-room', by: 'admin' });
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId)?.zoneId === 'server-room', 'door moved');
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: true });
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: false, reason: 'no-grant' });
    // The device re-announcing its old zone does not move it back.
    await s.devices.config({ id: doorId, kind: 'door', name: 'Door a', zoneId: 'lobby' });
    await new Promise((r) => setTimeout(r, 200));
    expect(s.edge.ctx.registry.doorOfReader(readerId)?.zoneId).toBe('server-room');
  });

  it('a removed zone leaves its door and reader pending until a person places them elsewhere', async () => {
    s = await startScenario();
    s.cloud.broadcast({ type: 'site.zones', zones: zones('lobby', 'office') });
    await zonesAdopted(['lobby', 'office']);
    const { readerId, doorId } = await s.devices.doorWithReader('office', 'b');
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });

    s.cloud.broadcast({ type: 'site.zones', zones: zones('lobby') });
    await waitFor(() => listed(doorId)?.config.zoneId === undefined, 'door unplaced');
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: false, reason: 'device-pending' });

    s.cloud.broadcast({ type: 'device.place', deviceId: doorId, zoneId: 'lobby', by: 'admin' });
    s.cloud.broadcast({ type: 'device.place', deviceId: readerId, zoneId: 'lobby', by: 'admin' });
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId)?.zoneId === 'lobby', 'placed in the lobby');
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
  });

  it("an admitted fire panel still unlocks every door when its zone is removed: fire depends on nothing but the fire", async () => {
    s = await startScenario();
    s.cloud.broadcast({ type: 'site.zones', zones: zones('lobby', 'plant') });
    await zonesAdopted(['lobby', 'plant']);
    await s.devices.config({ id: 'door-1', kind: 'door', name: 'Door 1', zoneId: 'lobby' });
    await s.devices.config({ id: 'fire-panel', kind: 'fire-panel', name: 'Fire panel', zoneId: 'plant' });
    await waitFor(() => listed('door-1') && listed('fire-panel'), 'registered');
    s.cloud.broadcast({ type: 'site.zones', zones: zones('lobby') });
    await waitFor(() => listed('fire-panel')?.config.zoneId === undefined, 'panel zone gone');
    await s.devices.event('fire-panel', 'fire.alarm');
    await waitFor(() => s.devices.commandsFor('door-1').some((c) => c.action === 'unlock'), 'door unlocked by the panel');
    expect(s.edge.ctx.modes.state).toMatchObject({ mode: 'emergency-unlock', fireActive: true });
  });

  it('zones a console writes into the site document place nothing', async () => {
    s = await startScenario();
    s.cloud.broadcast({ type: 'site.zones', zones: zones('lobby') });
    await zonesAdopted(['lobby']);
    // Threat: a console without the right to manage zones drawing one in the shared document.
    const forged = new Y.Doc();
    new SiteDoc(forged).setZone({ id: 'server-room', name: 'Server room', polygon: [[0, 0], [1, 0], [1, 1]] });
    Y.applyUpdate(s.edge.doc, Y.encodeStateAsUpdate(forged));
    const { readerId } = await s.devices.doorWithReader('server-room', 'c');
    await waitFor(() => listed(readerId), 'registered');
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: false, reason: 'device-pending' });
  });

  it("an edge the cloud never told its zones keeps devices' own zones", async () => {
    s = await startScenario();
    const { readerId } = await s.devices.doorWithReader('server-room', 'd');
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'reader registered');
    expect(s.edge.ctx.zones.known).toBe(false);
    expect(await s.devices.swipe(readerId, 'card-nogrant')).toMatchObject({ granted: true });
  });

  it("takes the zones from the cloud's welcome", async () => {
    s = await startScenario();
    s.cloud.siteFacts = { timezone: 'Asia/Seoul', zones: zones('lobby') };
    s.cloud.broadcast({ type: 'site.zones', zones: zones('lobby', 'office') });
    await zonesAdopted(['office']);
    s.edge.uplink!.link.reconnect();
    await waitFor(() => s.edge.ctx.zones.name('office') === undefined, 'welcome zones adopted');
    expect(s.edge.ctx.zones.name('lobby')).toBe('Zone lobby');
  });
});
