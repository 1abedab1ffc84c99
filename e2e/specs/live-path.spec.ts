import { test, expect } from '../fixtures/test';
import { MqttWatch } from '../fixtures/mqtt-watch';
import { waitUntil } from '@cr/demo';
import { ConsolePage } from '../page-models/console';

test('a badge swipe opens the door and is logged; a forced door alerts two operators at once', async ({ system, browser }) => {
  const site = system.sites.get('gangnam')!;
  const mqtt = await MqttWatch.open(site.mqttUrl!, 'cr/gangnam/devices/+/cmd');
  const [hqA, hqB] = await Promise.all([
    ConsolePage.signIn(browser, system.cloudUrl, 'hq@demo.local'),
    ConsolePage.signIn(browser, system.cloudUrl, 'hq@demo.local'),
  ]);

  // A member badges in at the lobby reader: granted, and the lobby door gets a pulse.
  const swipe = await system.simulate('gangnam', 'swipe', { readerId: 'reader-lobby', card: 'card-0042' });
  expect(await swipe.json()).toMatchObject({ granted: true, reason: 'granted', memberId: 'member-0042' });
  const pulse = await waitUntil(
    () => mqtt.json<{ action: string }>('door-lobby/cmd').find((m) => m.body.action === 'pulse-unlock'),
    'pulse-unlock to door-lobby',
  );
  expect(pulse.topic).toBe('cr/gangnam/devices/door-lobby/cmd');

  // Korean (the default language) renders in the console's own font, not a box per glyph.
  const hangul = await hqA.page.evaluate(async () => {
    await document.fonts.ready;
    await document.fonts.load('15px "Noto Sans KR"', '출입 경보');
    let loaded = 0;
    document.fonts.forEach((f) => {
      if (f.family.replace(/"/g, '') === 'Noto Sans KR' && f.status === 'loaded') loaded++;
    });
    return loaded;
  });
  expect(hangul).toBeGreaterThan(0);

  // The access event reaches the console's access log.
  await hqA.go('#/events/gangnam');
  await expect(async () => {
    await hqA.page.getByTestId('events-type').selectOption('access.granted');
    await expect(hqA.page.locator('[data-testid="events-row"][data-type="access.granted"]').first()).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  await expect(hqA.page.getByTestId('events-page')).toContainText('member-0042');

  // Someone forces the (locked) office door: both operators see the alert, and the map marks the site.
  await system.simulate('gangnam', 'force/door-office');
  for (const op of [hqA, hqB]) {
    await op.openAlerts();
    await expect(op.alertRows('door.forced', 'gangnam').first()).toBeVisible();
    await expect(op.alertRows('door.forced', 'gangnam').first()).toHaveAttribute('data-state', 'open');
    await expect(op.alertRows('door.forced', 'gangnam').first()).toContainText('door-office');
  }
  await hqB.openOverview();
  await expect(hqB.siteItem('gangnam')).not.toHaveAttribute('data-open-alerts', '0');
  await mqtt.close();
});
