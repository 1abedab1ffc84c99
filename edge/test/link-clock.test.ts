import { afterEach, describe, expect, it } from 'vitest';
import { findActive } from '@cr/shared';
import { FakeCloud } from './support/fake-cloud';
import { cloudCommand, startLinkSite, type LinkSite } from './support/link-site';
import { waitFor } from './support/wait';

const skewAlerts = (s: LinkSite) => findActive(s.edge.doc, { type: 'clock-skew' });
const outcomeOf = (s: LinkSite, id: string) => waitFor(() => s.cloud.outcomes.find((o) => o.commandId === id), `outcome of ${id}`);

async function withDoor(s: LinkSite): Promise<string> {
  const { doorId } = await s.devices.doorWithReader('lobby');
  await waitFor(() => s.edge.ctx.registry.get(doorId), 'door registered');
  return doorId;
}

describe('time on the cloud link', () => {
  let s: LinkSite;
  afterEach(() => s.close());

  it('raises clock-skew against a cloud 60 s ahead, and still runs a 2 s command delivered at once but not one delivered late', async () => {
    const cloud = await FakeCloud.start();
    cloud.clockSkewMs = 60_000;
    s = await startLinkSite({ cloud });
    await waitFor(() => skewAlerts(s).length === 1, 'clock-skew alert');
    expect(skewAlerts(s)[0]!.message).toMatch(/behind the cloud/);
    expect(s.edge.uplink!.clock.estimate!.offsetMs).toBeGreaterThan(59_000);
    const doorId = await withDoor(s);

    const atOnce = cloudCommand(cloud, s.siteId, { kind: 'door', doorId, action: 'pulse-unlock', durationMs: 500 }, 2_000);
    cloud.command(atOnce);
    expect(await outcomeOf(s, atOnce.id)).toMatchObject({ status: 'executed' });
    expect(s.devices.commandsFor(doorId).map((c) => c.id)).toContain(atOnce.id);

    // Read in the edge's clock, this command's cloud deadline lies 60 s ahead; it must still be refused.
    const late = cloudCommand(cloud, s.siteId, { kind: 'door', doorId, action: 'pulse-unlock', durationMs: 500 }, 2_000);
    cloud.command(late, { holdMs: 2_300 });
    expect(await outcomeOf(s, late.id)).toMatchObject({ status: 'expired' });
    expect(s.devices.commandsFor(doorId).map((c) => c.id)).not.toContain(late.id);

    // Back in step: the alert clears once the window holds only good readings.
    cloud.clockSkewMs = 0;
    await waitFor(() => skewAlerts(s).length === 0, 'clock-skew alert cleared');
  });

  it('runs commands from a cloud 60 s behind the edge (which would refuse them by their bare expiresAt)', async () => {
    const cloud = await FakeCloud.start();
    cloud.clockSkewMs = -60_000;
    s = await startLinkSite({ cloud });
    await waitFor(() => skewAlerts(s).length === 1, 'clock-skew alert');
    expect(skewAlerts(s)[0]!.message).toMatch(/ahead of the cloud/);
    const doorId = await withDoor(s);
    const cmd = cloudCommand(cloud, s.siteId, { kind: 'door', doorId, action: 'unlock' }, 2_000);
    cloud.command(cmd);
    expect(await outcomeOf(s, cmd.id)).toMatchObject({ status: 'executed' });
    expect(s.devices.commandsFor(doorId).map((c) => c.id)).toContain(cmd.id);
  });

  it('expires a command held in transit longer than its ttl; the door never hears of it', async () => {
    s = await startLinkSite();
    expect(skewAlerts(s)).toHaveLength(0);
    const doorId = await withDoor(s);
    const held = cloudCommand(s.cloud, s.siteId, { kind: 'door', doorId, action: 'unlock' }, 500);
    s.cloud.command(held, { holdMs: 800 });
    expect(await outcomeOf(s, held.id)).toMatchObject({ status: 'expired', error: expect.stringMatching(/expired/) });
    expect(s.devices.commandsFor(doorId)).toEqual([]);
    expect(s.edge.ctx.modes.mode).toBe('normal');
  });
});
