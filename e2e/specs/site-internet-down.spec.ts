import { test, expect } from '../fixtures/test';
import { login, waitUntil } from '@cr/demo';
import { allEvents, countByRequestId } from '../fixtures/events';
import { swipe } from '../fixtures/swipes';
import { ConsolePage } from '../page-models/console';

test('scenario A: site internet down — access goes on, the branch manager works through the edge, everything merges', async ({ system, browser }) => {
  const site = system.sites.get('gangnam')!;
  await system.simulate('gangnam', 'force/door-lobby');

  const hq = await ConsolePage.signIn(browser, system.cloudUrl, 'hq@demo.local');
  // The branch manager's laptop sits on the site's LAN: it reaches the cloud over the site's own internet line.
  const manager = await ConsolePage.signIn(browser, site.proxy.url, 'gangnam.manager@demo.local');
  await hq.openAlerts();
  const row = hq.alertRows('door.forced', 'gangnam').first();
  await expect(row).toBeVisible();
  const alertId = (await row.getAttribute('data-alert-id'))!;

  // The manager's laptop knows its site's edge on the LAN.
  await manager.configureEdge('gangnam', site.httpUrl!);
  await manager.openAlerts();
  await expect(manager.alertRows('door.forced', 'gangnam').first()).toBeVisible();

  // The site's internet goes down: the edge and the manager's laptop both lose the cloud.
  site.proxy.cut();
  await expect(manager.banner()).toHaveAttribute('data-state', /lan/, { timeout: 20_000 });
  const buffered = [];
  for (const card of ['card-0020', 'card-0021', 'card-0022']) buffered.push(await swipe(system, 'gangnam', card));
  expect(buffered.every((a) => a.granted)).toBe(true);

  // The manager acknowledges and adds a note through the edge; HQ acknowledges and assigns in the cloud.
  await manager.openAlert(alertId);
  await manager.page.getByTestId('alert-detail-ack').click();
  await manager.addNote('현장 확인: 출입문 파손 없음');
  await hq.openAlert(alertId);
  await hq.page.getByTestId('alert-detail-ack').click();
  await hq.assign('facility-team');
  await expect(hq.page.getByTestId('alert-ack-entry')).toHaveCount(1);

  // The line comes back: both sides end with both acks, the note and the assignment.
  site.proxy.restore();
  for (const op of [hq, manager]) {
    await expect(op.page.getByTestId('alert-ack-entry')).toHaveCount(2, { timeout: 30_000 });
    await expect(op.page.getByTestId('alert-note-entry')).toContainText('출입문 파손 없음');
    await expect(op.page.getByTestId('alert-assignee')).toHaveText('facility-team');
  }

  // Every decision taken offline reached the cloud exactly once.
  const token = await login(system.cloudUrl, 'hq@demo.local');
  const ids = buffered.map((a) => a.requestId);
  const counts = await waitUntil(async () => {
    const c = countByRequestId(await allEvents(system.cloudUrl, token, 'gangnam'));
    return ids.every((id) => c.has(id)) ? c : undefined;
  }, 'buffered events uploaded', 30_000);
  for (const id of ids) expect(counts.get(id)).toBe(1);
});
