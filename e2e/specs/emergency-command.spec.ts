import { test, expect } from '../fixtures/test';
import { MqttWatch } from '../fixtures/mqtt-watch';
import { ConsolePage } from '../page-models/console';

test('emergency command path: executed within a second; against a cut-off site it fails fast and never runs later', async ({ system, browser }) => {
  const site = system.sites.get('gangnam')!;
  const watch = await MqttWatch.open(site.mqttUrl!, 'cr/gangnam/devices/+/cmd');
  const hq = await ConsolePage.signIn(browser, system.cloudUrl, 'hq@demo.local');
  await hq.openSite('gangnam');

  const status = await hq.commandDoor('door-meeting', 'unlock', '긴급 출입: 구급대 도착');
  const confirmedAt = Date.now();
  await expect(status).toHaveAttribute('data-status', 'executed', { timeout: 5_000 });
  const executedIn = Date.now() - confirmedAt;
  test.info().annotations.push({ type: 'executed-in-ms', description: String(executedIn) });
  expect(executedIn).toBeLessThan(1_000);
  expect(watch.json<{ action: string }>('door-meeting/cmd').some((m) => m.body.action === 'unlock')).toBe(true);
  await hq.page.getByTestId('command-close').click();

  site.proxy.cut();
  await expect(hq.siteItemOnSitePage()).toHaveAttribute('data-online', 'false', { timeout: 20_000 });
  const cutAt = Date.now();
  const failed = await hq.commandDoor('door-office', 'unlock', 'link is down');
  await expect(failed).toHaveAttribute('data-status', /failed|expired/, { timeout: 10_000 });
  expect(Date.now() - cutAt).toBeLessThan(10_000);
  await expect(failed).not.toBeEmpty();

  site.proxy.restore();
  await expect(hq.siteItemOnSitePage()).toHaveAttribute('data-online', 'true', { timeout: 20_000 });
  await hq.page.waitForTimeout(3_000); // observation window: nothing may execute after the link returns
  expect(watch.json<{ action: string }>('door-office/cmd', cutAt).some((m) => m.body.action === 'unlock')).toBe(false);
  await watch.close();
});
