import { test, expect } from '../fixtures/test';
import { login, waitUntil } from '@cr/demo';
import { allEvents, countByRequestId } from '../fixtures/events';
import { swipe } from '../fixtures/swipes';
import { ConsolePage } from '../page-models/console';

test('scenario B: the cloud goes down, edges keep deciding, everything re-syncs once', async ({ system, browser }) => {
  const port = Number(new URL(system.cloudUrl).port);
  const hq = await ConsolePage.signIn(browser, system.cloudUrl, 'hq@demo.local');
  await hq.openOverview();
  await expect(hq.siteItem('gangnam')).toHaveAttribute('data-online', 'true');
  const before = await swipe(system, 'gangnam', 'card-0010');
  expect(before.granted).toBe(true);

  await system.stopCloud();
  const during = [];
  for (const card of ['card-0011', 'card-0012', 'card-0013', 'card-0099']) during.push(await swipe(system, 'gangnam', card));
  expect(during.map((a) => a.granted)).toEqual([true, true, true, true]);

  // The console says so, and keeps the last known state on screen.
  await expect(hq.banner()).toHaveAttribute('data-state', /offline|unreachable/, { timeout: 30_000 });
  await expect(hq.siteItem('gangnam')).toBeVisible();

  await system.startCloud(port);
  await expect(hq.banner()).toHaveAttribute('data-state', /ok|reconnected/, { timeout: 45_000 });
  const token = await login(system.cloudUrl, 'hq@demo.local');
  const ids = [before, ...during].map((a) => a.requestId);
  const counts = await waitUntil(async () => {
    const c = countByRequestId(await allEvents(system.cloudUrl, token, 'gangnam'));
    return ids.every((id) => c.has(id)) ? c : undefined;
  }, 'every decision uploaded after the cloud returned', 30_000);
  for (const id of ids) expect(counts.get(id)).toBe(1);
});
