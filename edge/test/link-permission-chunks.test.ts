import { afterEach, describe, expect, it } from 'vitest';
import type { Member } from '@cr/shared';
import { startLinkSite, type LinkSite } from './support/link-site';
import { waitFor } from './support/wait';

const bulk = (i: number): Member => ({
  id: `bulk-${i}`,
  name: `Bulk member ${i}`,
  active: true,
  secureMode: false,
  offlineWhitelist: false,
  credentials: [{ type: 'card', value: `bulk-card-${i}` }],
  grants: [{ zoneIds: ['lobby', 'office'] }],
});

describe('permission snapshots in parts', () => {
  let s: LinkSite;
  afterEach(() => s.close());

  it('keeps the old cache when the link drops mid-snapshot, and swaps in the whole new one after reconnect', async () => {
    s = await startLinkSite();
    const { readerId } = await s.devices.doorWithReader('lobby');
    await waitFor(() => s.edge.ctx.registry.doorOfReader(readerId), 'door registered');
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
    const hellos = () => s.cloud.received.filter((m) => m.type === 'hello');
    const hellosBefore = hellos().length;

    // 20,000 members: several parts of ≤ 512 KiB; the link is cut after the first, again and again.
    s.cloud.members = Array.from({ length: 20_000 }, (_, i) => bulk(i));
    s.cloud.version = 2;
    s.cloud.cutAfterParts = 1;
    s.cloud.pushSnapshot();
    const chunks = s.edge.uplink!.session.chunks;
    await waitFor(() => chunks.discarded >= 2 && hellos().length > hellosBefore, 'partial snapshots dropped with their links');
    expect(s.edge.ctx.permissions.version).toBe(1);
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: true });
    expect(await s.devices.swipe(readerId, 'bulk-card-0')).toMatchObject({ granted: false, reason: 'unknown-credential' });
    // The reconnect asks from the version the edge really holds, not the half-received one.
    expect(hellos().slice(hellosBefore).every((h) => h.type === 'hello' && h.permissionsVersion === 1)).toBe(true);

    s.cloud.cutAfterParts = undefined;
    await waitFor(() => s.edge.ctx.permissions.version === 2, 'full snapshot applied', 10_000);
    expect(s.edge.ctx.permissions.size).toBe(20_000);
    expect(chunks.pending).toBe(false);
    expect(await s.devices.swipe(readerId, 'bulk-card-19999')).toMatchObject({ granted: true });
    expect(await s.devices.swipe(readerId, 'bulk-card-0')).toMatchObject({ granted: true });
    expect(await s.devices.swipe(readerId, 'card-ok')).toMatchObject({ granted: false, reason: 'unknown-credential' });
  });
});
