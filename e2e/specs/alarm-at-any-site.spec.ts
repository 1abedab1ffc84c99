import { test, expect } from '../fixtures/test';
import { getJson, login, postJson, waitUntil } from '@cr/demo';
import { ConsolePage } from '../page-models/console';

/** Sites beside the demo's three, so the console follows 200; each id sorts before the site that alarms. */
const MORE_SITES = 197;
const branchId = (i: number): string => `branch-${String(i + 1).padStart(3, '0')}`;

interface Alert {
  id: string;
  siteId: string;
  type: string;
  severity: string;
  raisedAt: number;
  state: string;
}

test('a critical alarm at one site of 200, whose document the console has no reason to open, is on screen and sounding within 2 s', async ({ system, browser }) => {
  test.setTimeout(120_000);
  const admin = await login(system.cloudUrl, 'admin@demo.local');
  for (let i = 0; i < MORE_SITES; i++) {
    const r = await postJson(`${system.cloudUrl}/api/v1/sites`, { id: branchId(i), name: `지점 ${i + 1}`, lat: 37.4 + i / 1000, lng: 127 + i / 1000, timezone: 'Asia/Seoul' }, admin);
    expect(r.status).toBe(201);
  }
  const hq = await login(system.cloudUrl, 'hq@demo.local');
  // Every site without a gateway goes offline: 199 open alarms the console must also carry.
  await waitUntil(async () => {
    const open = await getJson<Alert[]>(`${system.cloudUrl}/api/v1/alerts?state=open`, hq);
    return open.filter((a) => a.type === 'site.offline').length >= MORE_SITES + 2 || undefined;
  }, 'every site without a gateway reported offline', 60_000, 500);

  const operator = await ConsolePage.signIn(browser, system.cloudUrl, 'hq@demo.local');
  const page = operator.page;
  await operator.go('#/alerts');
  await expect(page.getByTestId(`alert-row-${(await getJson<Alert[]>(`${system.cloudUrl}/api/v1/alerts?siteId=${branchId(MORE_SITES - 1)}`, hq))[0]!.id}`)).toBeVisible({ timeout: 15_000 });
  // The page notes, in its own clock (the same machine's), when a forced-door row for gangnam appears.
  await page.evaluate(() => {
    const w = window as unknown as { __forcedShownAt?: number };
    new MutationObserver(() => {
      if (!w.__forcedShownAt && document.querySelector('[data-testid^="alert-row-gangnam.door-lobby.door.forced"]')) w.__forcedShownAt = Date.now();
    }).observe(document.body, { childList: true, subtree: true });
  });

  await system.simulate('gangnam', 'force/door-lobby');
  const forced = await waitUntil(async () => (await getJson<Alert[]>(`${system.cloudUrl}/api/v1/alerts?siteId=gangnam`, hq)).find((a) => a.type === 'door.forced'), 'forced-door alarm');
  expect(forced.severity).toBe('critical');
  const shownAt = await waitUntil(() => page.evaluate(() => (window as unknown as { __forcedShownAt?: number }).__forcedShownAt), 'the row on screen', 10_000, 50);
  expect(shownAt - forced.raisedAt).toBeLessThan(2_000);

  // Sounding: the banner names it and the tone played; it stays until a person acknowledges.
  const banner = page.getByTestId('critical-banner');
  await expect(banner).toHaveAttribute('data-alert-id', forced.id);
  await expect(banner).toHaveAttribute('data-sounding', 'true');
  expect(Number(await banner.getAttribute('data-tones'))).toBeGreaterThanOrEqual(1);
  await page.getByTestId('critical-banner-open').click();
  await expect(page.getByTestId('alert-detail')).toHaveAttribute('data-alert-id', forced.id);
  await page.getByTestId(`alert-ack-${forced.id}`).click();
  await expect(banner).toBeHidden({ timeout: 5_000 });
  const acked = await waitUntil(async () => (await getJson<Alert[]>(`${system.cloudUrl}/api/v1/alerts?siteId=gangnam`, hq)).find((a) => a.id === forced.id && a.state === 'acknowledged'), 'the ack stored by the cloud');
  expect(acked.state).toBe('acknowledged');
});
