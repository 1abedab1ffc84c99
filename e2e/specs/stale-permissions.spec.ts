import { test, expect, FAST } from '../fixtures/test';
import { getJson, login, waitUntil } from '@cr/demo';
import { swipe } from '../fixtures/swipes';

test.use({ timing: { ...FAST, cacheTtlMs: 4_000 } });

test('stale permissions: past the TTL offline only whitelisted members enter; grants return on reconnect', async ({ system }) => {
  const site = system.sites.get('gangnam')!;
  expect((await swipe(system, 'gangnam', 'card-0002')).granted).toBe(true);

  const cutAt = Date.now();
  site.proxy.cut();
  const health = () => getJson<{ cacheStale: boolean; cloud: string }>(`${site.httpUrl}/health`);
  // The edge's own check has noticed (and raised its alert) once its metric says so.
  const staleGauge = async () => /^edge_permission_cache_stale 1$/m.test(await (await fetch(`${site.httpUrl}/metrics`)).text());
  await waitUntil(async () => (await health()).cacheStale && (await staleGauge()), 'the edge to notice its cache went stale', 15_000);
  expect(await swipe(system, 'gangnam', 'card-0002')).toMatchObject({ granted: false, reason: 'cache-stale' });
  expect(await swipe(system, 'gangnam', 'card-0001')).toMatchObject({ granted: true });
  expect(await swipe(system, 'gangnam', 'card-night')).toMatchObject({ granted: true });

  site.proxy.restore();
  await waitUntil(async () => {
    const h = await health();
    return h.cloud === 'connected' && !h.cacheStale;
  }, 'cache fresh again', 20_000);
  expect(await swipe(system, 'gangnam', 'card-0002')).toMatchObject({ granted: true, reason: 'granted' });

  // The stale period left a cache-stale alert: its cause cleared once permissions synced again, and it
  // stays in the queue until an operator has seen it.
  const hq = await login(system.cloudUrl, 'hq@demo.local');
  type Alert = { type: string; state: string; raisedAt: number; causeCleared: boolean; causes: Array<{ state: string; by: string; at: number }> };
  const alerts = await waitUntil(async () => {
    const list = await getJson<Alert[]>(`${system.cloudUrl}/api/v1/alerts?siteId=gangnam`, hq);
    // Raised in the offline period, or an earlier unresolved one whose cause came back in it.
    const stale = list.filter(
      (a) => a.type === 'cache-stale' && (a.raisedAt >= cutAt || a.causes.some((c) => c.state === 'active' && c.at >= cutAt)),
    );
    return stale.length > 0 && stale.every((a) => a.causeCleared) ? stale : undefined;
  }, 'the cache-stale alert of the offline period, its cause cleared, synced to the cloud', 15_000);
  expect(alerts).toHaveLength(1);
  expect(alerts[0]!.state).toBe('open');
  expect(alerts[0]!.causes[alerts[0]!.causes.length - 1]).toMatchObject({ state: 'cleared', by: 'edge' });
});
