import { test, expect } from '../fixtures/test';
import { login } from '@cr/demo';
import { ConsolePage } from '../page-models/console';
import WebSocket from 'ws';

test.use({ sites: ['gangnam', 'hongdae'] });

/** Opens a sync socket and resolves with its close code, or 'open' if the server kept it. */
function syncClose(cloudUrl: string, doc: string, token: string): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${cloudUrl.replace('http', 'ws')}/sync/${doc}?token=${token}`);
    const timer = setTimeout(() => (ws.close(), resolve('open')), 2000);
    ws.on('close', (code) => (clearTimeout(timer), resolve(code)));
    ws.on('error', () => undefined);
  });
}

test('vendors see facility faults only; a site manager cannot reach another site', async ({ system, browser }) => {
  const cloud = system.cloudUrl;
  // A facility fault and a security incident at gangnam.
  await system.simulate('gangnam', 'offline/env-office');
  await system.simulate('gangnam', 'force/door-lobby');

  const hq = await ConsolePage.signIn(browser, cloud, 'hq@demo.local');
  await hq.openAlerts();
  await expect(hq.alertRows('door.forced', 'gangnam').first()).toBeVisible();
  await expect(hq.alertRows('device.offline', 'gangnam').first()).toBeVisible({ timeout: 30_000 });

  const vendor = await ConsolePage.signIn(browser, cloud, 'vendor@demo.local');
  await expect(vendor.page.getByTestId('current-user')).toHaveAttribute('data-role', 'vendor');
  await vendor.openAlerts();
  await expect(vendor.alertRows('device.offline', 'gangnam').first()).toBeVisible();
  await expect(vendor.alertRows('door.forced')).toHaveCount(0);
  await expect(vendor.page.locator('[data-testid^="door-control-"]')).toHaveCount(0);
  await expect(vendor.page.getByTestId('nav-events')).toHaveCount(0);

  const manager = await ConsolePage.signIn(browser, cloud, 'gangnam.manager@demo.local');
  await manager.openOverview();
  await expect(manager.siteItem('gangnam')).toBeVisible();
  await expect(manager.siteItem('hongdae')).toHaveCount(0);

  // The same through the API and the sync endpoint, as a hostile client would try.
  const managerToken = await login(cloud, 'gangnam.manager@demo.local');
  const vendorToken = await login(cloud, 'vendor@demo.local');
  const other = await fetch(`${cloud}/api/v1/sites/hongdae/doors/door-lobby/commands`, {
    method: 'POST',
    headers: { authorization: `Bearer ${managerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'unlock', reason: 'test' }),
  });
  expect([403, 404]).toContain(other.status);
  expect([403, 404]).toContain((await fetch(`${cloud}/api/v1/sites/hongdae`, { headers: { authorization: `Bearer ${managerToken}` } })).status);
  const vendorCmd = await fetch(`${cloud}/api/v1/sites/gangnam/doors/door-lobby/commands`, {
    method: 'POST',
    headers: { authorization: `Bearer ${vendorToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'unlock', reason: 'test' }),
  });
  expect(vendorCmd.status).toBe(403);
  expect((await fetch(`${cloud}/api/v1/sites/gangnam/events`, { headers: { authorization: `Bearer ${vendorToken}` } })).status).toBe(403);
  expect(await syncClose(cloud, 'site:demo:hongdae', managerToken)).toBe(4403);
  expect(await syncClose(cloud, 'site:demo:gangnam', vendorToken)).toBe(4403);
  expect(await syncClose(cloud, 'site:demo:gangnam', managerToken)).toBe('open');
});
