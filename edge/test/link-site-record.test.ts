import { afterEach, describe, expect, it } from 'vitest';
import { SiteDoc, type SiteRecord } from '@cr/shared';
import { FakeCloud } from './support/fake-cloud';
import { startLinkSite, type LinkSite } from './support/link-site';
import { waitFor } from './support/wait';

/** A fresh gateway (empty data dir) with two doors, welcomed by a cloud holding `record`. */
async function replacementGateway(record: SiteRecord): Promise<LinkSite> {
  const cloud = await FakeCloud.start();
  cloud.siteRecord = record;
  // The welcome waits until the doors have announced themselves, so the new mode reaches them.
  cloud.answerHello = false;
  const s = await startLinkSite({ cloud, linked: false });
  expect(s.edge.ctx.modes.state).toMatchObject({ mode: 'normal', fireActive: false });
  await s.devices.config({ id: 'door-a', kind: 'door', name: 'Door A', zoneId: 'lobby' });
  await s.devices.config({ id: 'door-b', kind: 'door', name: 'Door B', zoneId: 'office' });
  await waitFor(() => s.edge.ctx.registry.doorIds().length === 2, 'doors registered');
  cloud.answerHello = true;
  cloud.dropLinks();
  await waitFor(() => s.edge.uplink!.connected, 'welcomed');
  return s;
}

const doorsTold = (s: LinkSite, action: string) => new Set(s.devices.commands.filter((c) => c.action === action).map((c) => c.deviceId));

describe('a replacement gateway restores the site mode from the cloud record', () => {
  let s: LinkSite;
  afterEach(() => s.close());

  it('ends in lockdown, doors commanded to lock, when the cloud knew the site locked down', async () => {
    s = await replacementGateway({ mode: 'lockdown', fireActive: false });
    await waitFor(() => doorsTold(s, 'lock').size === 2, 'both doors locked');
    expect(s.edge.ctx.modes.state).toMatchObject({ mode: 'lockdown', fireActive: false, changedBy: 'cloud record' });
    expect(new SiteDoc(s.edge.doc).meta()).toMatchObject({ mode: 'lockdown', fireActive: false });
    expect(doorsTold(s, 'unlock').size).toBe(0);
    // It says so in its next heartbeat, so the cloud's record stays right.
    await waitFor(() => s.cloud.received.some((m) => m.type === 'heartbeat' && m.mode === 'lockdown'), 'lockdown reported');
  });

  it('ends in emergency-unlock with the fire state, doors unlocked, when the cloud knew of a fire', async () => {
    s = await replacementGateway({ mode: 'emergency-unlock', fireActive: true });
    await waitFor(() => doorsTold(s, 'unlock').size === 2, 'both doors unlocked');
    expect(s.edge.ctx.modes.state).toMatchObject({ mode: 'emergency-unlock', fireActive: true });
    expect(doorsTold(s, 'lock').size).toBe(0);
    await waitFor(() => s.cloud.received.some((m) => m.type === 'heartbeat' && m.fireActive === true), 'fire reported');
  });
});
