import { test, expect } from '../fixtures/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getJson, login, postJson, waitUntil } from '@cr/demo';
import { swipe } from '../fixtures/swipes';
import { ConsolePage } from '../page-models/console';

test('scenario C: a dead edge is noticed, and a replacement restores itself from the cloud', async ({ system, browser }) => {
  const site = system.sites.get('gangnam')!;
  const hq = await ConsolePage.signIn(browser, system.cloudUrl, 'hq@demo.local');
  await hq.openOverview();
  await expect(hq.siteItem('gangnam')).toHaveAttribute('data-online', 'true');

  await site.edge!.kill();
  await expect(hq.siteItem('gangnam')).toHaveAttribute('data-online', 'false', { timeout: 20_000 });
  await hq.openAlerts();
  await expect(hq.alertRows('site.offline', 'gangnam').first()).toHaveAttribute('data-state', 'open');

  // A replacement gateway: same site identity, empty disk.
  const fresh = mkdtempSync(join(tmpdir(), 'cr-e2e-replacement-'));
  try {
    await site.sim!.stop();
    site.sim = undefined;
    await system.startEdge('gangnam', fresh);
    await system.startSimulator('gangnam');
    const health = await waitUntil(
      async () => {
        const h = await getJson<{ cloud: string; permissionsVersion: number; cacheStale: boolean }>(`${site.httpUrl}/health`);
        return h.cloud === 'connected' && h.permissionsVersion > 0 && !h.cacheStale ? h : undefined;
      },
      'replacement edge synced',
      20_000,
    );
    expect(health.permissionsVersion).toBeGreaterThan(0);
    expect((await swipe(system, 'gangnam', 'card-0077')).granted).toBe(true);
    // Its site document came back from the cloud: zones and floor plan included.
    const hqToken = await login(system.cloudUrl, 'hq@demo.local');
    const lan = await postJson<{ token: string }>(`${system.cloudUrl}/api/v1/auth/lan-token`, {}, hqToken);
    const doc = await getJson<{ zones: unknown[] }>(`${site.httpUrl}/api/v1/site`, lan.body.token);
    expect(doc.zones.length).toBe(4);
    await hq.openOverview();
    await expect(hq.siteItem('gangnam')).toHaveAttribute('data-online', 'true', { timeout: 20_000 });
    await hq.openAlerts();
    // The outage alarm latches: its cause cleared, it stays in the queue until a person resolves it.
    const outage = hq.alertRows('site.offline', 'gangnam');
    await expect(outage).toHaveCount(1);
    await expect(outage.first()).toHaveAttribute('data-cause-cleared', 'true', { timeout: 15_000 });
    await expect(outage.first()).toHaveAttribute('data-state', 'open');
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
});
