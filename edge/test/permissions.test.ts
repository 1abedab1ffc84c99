import { afterEach, describe, expect, it } from 'vitest';
import { acknowledgeAlert, findActive, findUnresolved } from '@cr/shared';
import { startScenario, type Scenario } from './support/scenario';
import { waitFor } from './support/wait';

describe('permission cache', () => {
  let s: Scenario;
  afterEach(() => s.close());

  it('goes whitelist-only with a cache-stale alert after its TTL offline, and recovers on reconnect', async () => {
    s = await startScenario({ flags: ['--cache-ttl-ms', '400', '--heartbeat-ms', '50'] });
    const { readerId } = await s.devices.doorWithReader('lobby');
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'door registered');
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
    // The alert raised at start (nothing synced yet) clears at the next check after the first sync.
    await waitFor(() => findActive(s.edge.doc, { type: 'cache-stale' }).length === 0, 'start-up alert cleared', 3_000);
    s.edge.uplink!.setEnabled(false); // the site's internet goes down
    await waitFor(() => findActive(s.edge.doc, { type: 'cache-stale' }).length === 1, 'cache-stale alert', 3_000);
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: false, reason: 'cache-stale' });
    expect(await s.devices.swipe(readerId, 'card-white')).toMatchObject({ granted: true, reason: 'granted' });
    const health = (await (await fetch(`${s.edge.httpUrl}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ cloud: 'disconnected', cacheStale: true });
    s.edge.uplink!.setEnabled(true);
    await waitFor(() => findActive(s.edge.doc, { type: 'cache-stale' }).length === 0, 'alert cleared', 3_000);
    // Nobody acknowledged it: it waits for a person, saying its cause cleared; an ack ends it.
    const waiting = findUnresolved(s.edge.doc, { type: 'cache-stale' });
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((a) => a.causeCleared && a.state === 'open')).toBe(true);
    for (const a of waiting) acknowledgeAlert(s.edge.doc, a.id, { by: 'hq', at: Date.now(), where: 'hq' });
    expect(findUnresolved(s.edge.doc, { type: 'cache-stale' })).toEqual([]);
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
  });

  it('applies deltas in order and asks for a snapshot after a version gap', async () => {
    s = await startScenario();
    const { readerId } = await s.devices.doorWithReader('lobby');
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'door registered');
    const newcomer = { id: 'm-new', active: true, secureMode: false, offlineWhitelist: false, credentials: [{ type: 'card' as const, value: 'card-new' }], grants: [{ zoneIds: ['lobby'] }] };
    s.cloud.broadcast({ type: 'permissions', kind: 'delta', fromVersion: 1, version: 2, upserts: [newcomer], removals: ['m-ok'] });
    await waitFor(() => s.edge.ctx.permissions.version === 2, 'delta applied');
    expect(await s.devices.swipe(readerId, 'card-new')).toMatchObject({ granted: true });
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: false, reason: 'unknown-credential' });
    const hellos = s.cloud.received.filter((m) => m.type === 'hello').length;
    s.cloud.version = 7;
    s.cloud.broadcast({ type: 'permissions', kind: 'delta', fromVersion: 5, version: 6, upserts: [], removals: [] });
    await waitFor(() => s.cloud.received.filter((m) => m.type === 'hello').length > hellos && s.edge.ctx.permissions.version === 7, 'resync by snapshot');
    const lastHello = s.cloud.received.filter((m) => m.type === 'hello').at(-1);
    expect(lastHello).toMatchObject({ permissionsVersion: 0 });
  });
});
