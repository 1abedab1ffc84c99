import { appendFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { getJson, readableLogLine, REPO_ROOT, startService, type Service } from '@cr/demo';
import { RENDERER_DIR } from '@cr/demo/console-launch';
import { edgeArgs, programLines, runCommand } from '../fixtures/real-tenant';
import { ConsolePage } from '../page-models/console';
import { OnboardingWizard } from '../page-models/onboarding-wizard';

/**
 * A new site taken live with the console's wizard, from a tenant that has no site yet: the admin
 * creates it, the installer runs the command the wizard prints on the gateway, the devices show up
 * pending and are approved and placed one by one, the acceptance test passes (a test card swiped,
 * a door unlocked and locked by an HQ operator, a test alarm), and the site goes live on the map.
 */
const TENANT = 'nova';
const ADMIN = 'admin@nova.test';
const PASSWORD = 'nova-admin-password-1';
const OPERATOR = { email: 'hq@nova.test', name: '관제 박지훈', password: 'nova-hq-first-pass-1', chosen: 'nova-hq-own-pass-22' };
const SITE = { id: 'seongsu', name: '성수점', address: '서울 성동구 성수이로 113', lat: 37.5446, lng: 127.0557, timezone: 'Asia/Seoul' };
/** Set to write the wizard's screenshots into docs/screenshots (the UI tour's folder). */
const SHOTS = process.env.CR_UPDATE_SCREENSHOTS === '1' ? join(REPO_ROOT, 'docs', 'screenshots') : undefined;

test('onboarding wizard: a new site from "create site" to live, its devices approved and placed, its acceptance checklist green', async ({ browser }, testInfo) => {
  test.setTimeout(280_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'cr-onboard-'));
  const services: Service[] = [];
  const logFile = testInfo.outputPath('processes.log');
  const log = (name: string) => (line: string) => appendFileSync(logFile, `[${name}] ${readableLogLine(line)}\n`);
  const shot = async (page: Page, name: string): Promise<void> => {
    const path = testInfo.outputPath(name);
    await page.screenshot({ path });
    if (SHOTS) copyFileSync(path, join(SHOTS, name));
  };
  try {
    const init = await runCommand('npm', ['run', 'cloud', '--', 'init', '--data', dataDir, '--tenant', TENANT, '--tenant-name', 'Nova Offices', '--admin', ADMIN], {
      CR_ADMIN_PASSWORD: PASSWORD,
    });
    expect(init.code, init.stderr).toBe(0);
    expect(programLines(init.stdout)).toEqual([`tenant ${TENANT} ready; admin ${ADMIN}`]);
    const cloud = startService({
      name: 'cloud',
      entry: 'sync-server/src/main.ts',
      args: ['--port', '0', '--data', dataDir, '--ui', RENDERER_DIR, '--link-timeout-ms', '3000'],
      ready: [/^cloud listening on (http:\/\/127\.0\.0\.1:\d+)$/],
      onLine: log('cloud'),
    });
    services.push(cloud);
    const cloudUrl = (await cloud.ready)[0]![1]!;
    const api = async (method: string, path: string, token: string, body?: unknown) =>
      fetch(`${cloudUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const login = async (email: string, password: string) =>
      (await (await fetch(`${cloudUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })).json()) as {
        accessToken: string;
        mustChangePassword?: true;
      };
    const adminToken = (await login(ADMIN, PASSWORD)).accessToken;
    expect(await getJson(`${cloudUrl}/api/v1/sites`, adminToken)).toEqual([]);

    // The HQ operator who will move the door: an account the admin made, its password replaced at first sign-in.
    expect((await api('POST', '/api/v1/users', adminToken, { email: OPERATOR.email, name: OPERATOR.name, role: 'hq-operator', password: OPERATOR.password })).status).toBe(201);
    const first = await login(OPERATOR.email, OPERATOR.password);
    if (first.mustChangePassword)
      expect((await api('POST', '/api/v1/auth/password', first.accessToken, { currentPassword: OPERATOR.password, newPassword: OPERATOR.chosen })).status).toBe(200);
    const operatorPassword = first.mustChangePassword ? OPERATOR.chosen : OPERATOR.password;

    // 1. The admin signs in and opens the wizard from the navigation.
    const context = await browser.newContext();
    await context.addInitScript(() => localStorage.setItem('cr.settings', JSON.stringify({ lang: 'ko' })));
    const page = await context.newPage();
    await page.goto(`${cloudUrl}/`);
    await page.getByTestId('login-email').fill(ADMIN);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-password').press('Enter');
    await expect(page.getByTestId('current-user')).toHaveAttribute('data-role', 'tenant-admin', { timeout: 30_000 });
    const wizard = new OnboardingWizard(page);
    await expect(page.getByTestId('nav-onboarding')).toHaveText('새 사이트');
    await wizard.open();

    // 2. Site details with its point on the map; "create site" starts the clock.
    await wizard.fillSite(SITE);
    await shot(page, '22-onboarding-wizard.png');
    await wizard.createSite();

    // 3. Opening hours: the standard office template, which becomes the gateway's staffed hours.
    await expect(page.getByTestId('onboarding-policy-office')).toBeFocused();
    await expect(page.getByTestId('onboarding-policy-office')).toBeChecked();
    await wizard.next('policy');

    // 4. Zones, then the gateway command.
    await expect(page.getByTestId('admin-zone-id')).toBeFocused();
    await wizard.saveZone('lobby', '로비');
    await wizard.saveZone('lounge', '라운지');
    await wizard.next('zones');
    const command = await wizard.gatewayCommand();
    expect(command).toMatch(new RegExp(`^npm run edge -- --site ${SITE.id} --cloud ${cloudUrl} --token \\S+ --site-hours 08:00-22:00$`));
    expect(command).not.toContain('--commissioning');
    await wizard.next('gateway');

    // 5. The installer runs that command on the gateway (local ports and data dir added); the site's devices come up.
    await expect(page.getByTestId('onboarding-discovery-count')).toContainText('아직 보고된 장치가 없습니다');
    const edge = startService({
      name: `edge ${SITE.id}`,
      entry: 'edge/src/main.ts',
      args: [...edgeArgs(command), '--mqtt-port', '0', '--http-port', '0', '--data', join(dataDir, 'edge'), '--heartbeat-ms', '500'],
      ready: [new RegExp(`^edge ${SITE.id} mqtt on (mqtt://\\S+)$`), new RegExp(`^edge ${SITE.id} http on (http://\\S+)$`)],
      onLine: log('edge'),
    });
    services.push(edge);
    const mqttUrl = (await edge.ready)[0]![1]!;
    // Doors and readers of the lobby and the lounge, motion and lights, the fire panel: none pre-admitted.
    const sim = startService({
      name: `sim ${SITE.id}`,
      entry: 'edge/src/sim/main.ts',
      args: ['--site', SITE.id, '--mqtt-url', mqttUrl, '--devices', '6', '--rate', '0'],
      ready: [new RegExp(`sim ${SITE.id} control on (http://\\S+)`)],
      onLine: log('sim'),
    });
    services.push(sim);
    const simUrl = (await sim.ready)[0]![1]!;
    const simulate = (path: string, body?: unknown) =>
      fetch(`${simUrl}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });

    // 6. Discovery: each door, reader and fire panel is pending until approved and placed.
    const gated = { 'door-lobby': 'lobby', 'reader-lobby': 'lobby', 'door-lounge': 'lounge', 'fire-panel': 'lobby' };
    for (const id of Object.keys(gated)) await expect(wizard.device(id)).toHaveAttribute('data-approval', 'pending', { timeout: 30_000 });
    await expect(page.getByTestId('onboarding-link')).toHaveAttribute('data-online', 'true');
    await expect(wizard.device('door-lobby')).toContainText('sim-door');
    await expect(page.getByTestId('onboarding-discovery-next')).toBeDisabled();
    await shot(page, '23-onboarding-discovery.png');
    for (const [id, zone] of Object.entries(gated)) await wizard.approve(id, zone);
    const listed = await getJson<Array<{ id: string; approval: string; zoneId?: string }>>(`${cloudUrl}/api/v1/sites/${SITE.id}/devices`, adminToken);
    for (const [id, zone] of Object.entries(gated)) expect(listed.find((d) => d.id === id)).toMatchObject({ approval: 'approved', zoneId: zone });
    await wizard.next('discovery');

    // 7. The link and permission sync, then the acceptance test.
    await expect(page.getByTestId('onboarding-link')).toHaveAttribute('data-online', 'true');
    await expect(page.getByTestId('onboarding-link-permissions')).not.toHaveText('아직 없음', { timeout: 20_000 });
    await wizard.next('sync');
    await expect(page.getByTestId('onboarding-go-live')).toBeDisabled();
    await page.getByTestId('onboarding-acceptance-start').click();
    const card = (await page.getByTestId('onboarding-test-card').locator('strong').innerText()).trim();
    expect(card).toMatch(/^test-seongsu-\d{6}$/);

    // The person swipes the test card at the lobby reader (the edge has the new member within 5 s).
    await expect(async () => {
      const answer = (await (await simulate('swipe', { readerId: 'reader-lobby', card })).json()) as { granted: boolean; reason: string };
      expect(answer).toMatchObject({ granted: true });
    }).toPass({ timeout: 20_000, intervals: [500] });
    await expect(wizard.check('test-card')).toHaveAttribute('data-state', 'passed', { timeout: 20_000 });
    await expect(page.getByTestId('onboarding-go-live')).toBeDisabled();

    // An HQ operator unlocks and locks the lobby door from the site page, on another workstation.
    const hq = new ConsolePage(await (await browser.newContext()).newPage(), cloudUrl);
    await hq.login(OPERATOR.email, operatorPassword);
    await hq.openSite(SITE.id);
    for (const action of ['unlock', 'lock'] as const) {
      await expect(await hq.commandDoor('door-lobby', action, '개설 인수 시험')).toHaveAttribute('data-status', 'executed', { timeout: 15_000 });
      await hq.page.getByTestId('command-close').click();
    }
    await expect(wizard.check('remote-door')).toHaveAttribute('data-state', 'passed', { timeout: 20_000 });
    await expect(page.getByTestId('onboarding-go-live')).toBeDisabled();

    // The installer trips a test alarm: the lobby door opened without a badge.
    // Nothing the site raised on its own so far (offline before its gateway ran, after-hours presence) counts as the test alarm.
    await expect(wizard.check('test-alarm')).toHaveAttribute('data-state', 'waiting');
    expect((await simulate('force/door-lobby')).ok).toBe(true);
    await expect(wizard.check('test-alarm')).toHaveAttribute('data-state', 'passed', { timeout: 20_000 });
    await expect(wizard.check('test-alarm')).toContainText('강제 개방');

    // 8. Go live: the time from "create site" to live, then the site online on the map.
    await page.getByTestId('onboarding-go-live').click();
    const elapsed = page.getByTestId('onboarding-live-time');
    await expect(elapsed).toBeVisible();
    const ms = Number(await elapsed.getAttribute('data-ms'));
    console.log(`onboarding: create site → live ${(ms / 1000).toFixed(1)} s (machine time)`);
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(300_000);
    await page.getByTestId('onboarding-live-map').click();
    await expect(page.getByTestId('overview-map')).toBeVisible();
    await expect(page.getByTestId(`site-list-item-${SITE.id}`)).toHaveAttribute('data-online', 'true', { timeout: 20_000 });
    await expect(page.getByTestId(`site-list-item-${SITE.id}`)).toContainText(SITE.name);
  } finally {
    for (const s of services.reverse()) await s.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
