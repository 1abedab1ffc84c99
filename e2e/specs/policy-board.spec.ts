import { test, expect } from '../fixtures/test';
import { getJson, login } from '@cr/demo';
import { ConsolePage } from '../page-models/console';

interface SitePolicy {
  policyId: string;
  version: number;
  appliedVersion?: number;
}

/**
 * A tenant admin creates a site policy from a template on the console, saves a second version with
 * Monday open an hour longer, reads the diff, rolls v2 out to gangnam and watches the board until
 * gangnam's edge reports it applied; then rolls back to v1 in one confirmed action and sees v1
 * applied. The cloud's record of what the edge enforces follows each step; an HQ operator reads
 * the same board without any write action.
 */
test('policy board: an admin rolls v2 out to gangnam, sees it applied, rolls back to v1', async ({ system, browser }) => {
  const cloud = system.cloudUrl;
  const adminToken = await login(cloud, 'admin@demo.local');
  const gangnamPolicy = () => getJson<SitePolicy>(`${cloud}/api/v1/sites/gangnam/policy`, adminToken).catch(() => undefined);

  const admin = await ConsolePage.signIn(browser, cloud, 'admin@demo.local');
  const page = admin.page;
  await page.getByTestId('nav-policies').click();
  await expect(page.getByTestId('policies-page')).toBeVisible();

  // A new policy from the weekday-office template, with the keyboard: Enter creates it.
  await page.getByTestId('policy-new').click();
  await expect(page.getByTestId('new-policy-name')).toBeFocused();
  await page.getByTestId('new-policy-name').fill('E2E office hours');
  await page.getByTestId('new-policy-template').selectOption('office-weekdays');
  await page.getByTestId('new-policy-name').press('Enter');
  await expect(page.getByTestId('new-policy-dialog')).toHaveCount(0);
  const detail = page.getByTestId('policy-detail');
  await expect(detail).toHaveAttribute('data-latest-version', '1');
  const policyId = await page.getByTestId('policies-page').getAttribute('data-policy-id');
  expect(policyId).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.getByTestId('policy-end-mon-0')).toHaveValue('20:00');
  await expect(page.getByTestId('policy-day-sat')).toHaveAttribute('data-mode', 'closed');

  // A bad time is named next to its field and nothing is saved; then Monday until 21:00 becomes v2.
  await page.getByTestId('policy-end-mon-0').fill('21:99');
  await page.getByTestId('policy-save').click();
  await expect(page.getByTestId('policy-problem-mon-0')).toContainText('HH:MM');
  await expect(detail).toHaveAttribute('data-latest-version', '1');
  await page.getByTestId('policy-end-mon-0').fill('21:00');
  await page.getByTestId('policy-end-mon-0').press('Enter');
  await expect(detail).toHaveAttribute('data-latest-version', '2');
  await expect(page.getByTestId('policy-diff-lines')).toContainText('openingHours.mon: 08:00–20:00 → 08:00–21:00');
  await expect(page.getByTestId('policy-diff-lines').locator('li')).toHaveCount(1);

  // Roll v2 out to gangnam: the board follows it to applied, as gangnam's edge reports it.
  await page.getByTestId('policy-tab-rollout').click();
  const row = page.getByTestId('policy-board-row-gangnam');
  await expect(row).toHaveAttribute('data-holds', 'none');
  await page.getByTestId('policy-rollout').click();
  await expect(page.getByTestId('rollout-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('rollout-dialog')).toHaveCount(0);
  await page.getByTestId('policy-rollout').click();
  await page.getByTestId('rollout-version').selectOption('2');
  await page.getByTestId('rollout-site-gangnam').check();
  await page.getByTestId('rollout-dialog-submit').click();
  await expect(page.getByTestId('rollout-dialog')).toHaveCount(0);
  await expect(row).toHaveAttribute('data-status', 'applied', { timeout: 30_000 });
  await expect(row).toHaveAttribute('data-version', '2');
  await expect(row).toHaveAttribute('data-applied', '2');
  expect(await gangnamPolicy()).toMatchObject({ policyId, version: 2, appliedVersion: 2 });

  // The one-click rollback, after its question: v1 again, applied by the edge.
  await page.getByTestId('policy-rollback').click();
  const confirm = page.getByTestId('rollback-dialog');
  await expect(confirm).toContainText('v2');
  await expect(page.getByTestId('rollback-dialog-cancel')).toBeFocused();
  await page.getByTestId('rollback-dialog-submit').click();
  await expect(confirm).toHaveCount(0);
  await expect(row).toHaveAttribute('data-version', '1');
  await expect(row).toHaveAttribute('data-status', 'applied', { timeout: 30_000 });
  await expect(row).toHaveAttribute('data-applied', '1');
  await expect.poll(async () => (await gangnamPolicy())?.appliedVersion).toBe(1);

  // HQ reads the same board and has no write action.
  const hq = await ConsolePage.signIn(browser, cloud, 'hq@demo.local');
  await hq.go(`#/policies/${policyId}`);
  await expect(hq.page.getByTestId('policy-detail')).toHaveAttribute('data-latest-version', '2');
  await expect(hq.page.getByTestId('policy-new')).toHaveCount(0);
  await expect(hq.page.getByTestId('policy-save')).toHaveCount(0);
  await hq.page.getByTestId('policy-tab-rollout').click();
  await expect(hq.page.getByTestId('policy-board-row-gangnam')).toHaveAttribute('data-applied', '1');
  await expect(hq.page.getByTestId('policy-rollout')).toHaveCount(0);
  await expect(hq.page.getByTestId('policy-rollback')).toHaveCount(0);
});

/**
 * A staged rollout from the console: v1 to gangnam first, hongdae after a 2 s wait. Gangnam's
 * edge applies it, the wait runs out with healthy signals, the rollout completes and hongdae is
 * assigned (its edge is not running here, so it stays `assigned`).
 */
test('policy board: a staged rollout goes to gangnam first, then completes to hongdae', async ({ system, browser }) => {
  const cloud = system.cloudUrl;
  const token = await login(cloud, 'admin@demo.local');
  const created = await fetch(`${cloud}/api/v1/policies`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'E2E staged', body: { openingHours: { sat: [], sun: [] } } }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };

  const admin = await ConsolePage.signIn(browser, cloud, 'admin@demo.local');
  const page = admin.page;
  await admin.go(`#/policies/${id}`);
  await page.getByTestId('policy-tab-rollout').click();
  await page.getByTestId('policy-rollout').click();
  await page.getByTestId('rollout-site-gangnam').check();
  await page.getByTestId('rollout-site-hongdae').check();
  await page.getByTestId('rollout-staged').check();
  await page.getByTestId('rollout-first-gangnam').check();
  await page.getByTestId('rollout-waitSec').fill('2');
  await page.getByTestId('rollout-waitSec').press('Enter');
  await expect(page.getByTestId('rollout-dialog')).toHaveCount(0);

  const staged = page.locator('[data-testid^="policy-staged-"][data-state]');
  await expect(staged).toHaveCount(1);
  await expect(page.getByTestId('policy-board-row-gangnam')).toHaveAttribute('data-applied', '1', { timeout: 30_000 });
  await expect(staged).toHaveAttribute('data-state', 'completed', { timeout: 30_000 });
  await expect(page.getByTestId('policy-board-row-hongdae')).toHaveAttribute('data-holds', 'this', { timeout: 15_000 });
  await expect(page.getByTestId('policy-board-row-hongdae')).toHaveAttribute('data-status', 'assigned');
  // The console speaks Korean by default (the browser's locale is ko-KR).
  await expect(staged.getByTestId('policy-staged-signals')).toContainText('적용 실패 0 (최대 0)');
  const rollouts = await getJson<Array<{ state: string; firstSiteIds: string[]; restSiteIds: string[] }>>(`${cloud}/api/v1/policies/${id}/rollouts`, token);
  expect(rollouts).toEqual([expect.objectContaining({ state: 'completed', firstSiteIds: ['gangnam'], restSiteIds: ['hongdae'] })]);
});
