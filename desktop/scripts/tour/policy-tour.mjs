/* global document, window, HTMLElement */
// Site-policy screens of the UI tour: a real cloud + gangnam's edge and simulator (system.mjs), a
// policy seeded through the cloud's policy API (v1 from a template, v2 with longer Monday hours and
// two scenarios): v1 on hongdae (no edge running in the tour: it stays assigned), v2 staged with
// gangnam first (its edge applies it) and hongdae after the wait, then the admin's editor in Korean and the rollout board in
// English, into docs/screenshots/.
// Run after `npm run build -w @cr/desktop`: node desktop/scripts/tour/policy-tour.mjs
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSystem, stop } from './system.mjs';

const shots = new URL('../../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });
const PASSWORD = 'demo-pass-1234';
const sys = await startSystem();
const url = sys.cloud.url;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });

async function cloudAs(email) {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  const { accessToken } = await login.json();
  return async (method, path, body) => {
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

const must = (r, what) => {
  if (r.status >= 300) throw new Error(`${what} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
};

async function signIn(lang, height, width = 1600) {
  const context = await browser.newContext({ viewport: { width, height } });
  await context.addInitScript((l) => localStorage.setItem('cr.settings', JSON.stringify({ lang: l })), lang);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.goto(`${url}/`);
  await page.getByTestId('login-email').fill('admin@demo.local');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-policies').waitFor({ timeout: 30_000 });
  return { context, page };
}

try {
  const admin = await cloudAs('admin@demo.local');
  const templates = must(await admin('GET', '/api/v1/policy-templates'), 'templates');
  const office = templates.find((t) => t.id === 'office-weekdays') ?? templates[0];
  const { id } = must(await admin('POST', '/api/v1/policies', { name: '평일 사무실 Weekday office', body: office.body }), 'create');
  const v2 = {
    ...office.body,
    openingHours: { ...office.body.openingHours, mon: [['08:00', '21:00']], closedDates: ['2026-12-31'] },
    scenarios: [
      { id: 'lights-off', trigger: { kind: 'zone-empty', zoneId: 'lounge', forMin: 15 }, conditions: [{ kind: 'site-closed' }], actions: [{ kind: 'device', deviceId: 'hvac-main', action: 'off' }, { kind: 'notify', message: 'Lounge empty: HVAC off' }] },
      { id: 'night-secure', trigger: { kind: 'time', at: '22:00', days: [1, 2, 3, 4, 5] }, actions: [{ kind: 'mode', mode: 'secure' }] },
    ],
  };
  must(await admin('POST', `/api/v1/policies/${id}/versions`, { body: v2 }), 'version 2');
  must(await admin('POST', `/api/v1/policies/${id}/rollouts`, { version: 1, siteIds: ['hongdae'] }), 'rollout v1');
  // v2 in stages: gangnam first, hongdae after an hour unless gangnam's signals degrade.
  must(await admin('POST', `/api/v1/policies/${id}/rollouts`, { version: 2, siteIds: ['gangnam', 'hongdae'], stages: { firstSiteIds: ['gangnam'], waitSec: 3600, stopWhen: { maxFailedApplies: 0, maxDeniedRate: 0.3, maxNewAlerts: 5 } } }), 'staged rollout v2');
  // A second policy on yeouido, so the board shows a site held by another policy.
  const allDay = templates.find((t) => t.id === '24-7');
  if (allDay) {
    const other = must(await admin('POST', '/api/v1/policies', { name: '24시간 Around the clock', body: allDay.body }), 'create 24/7');
    must(await admin('POST', `/api/v1/policies/${other.id}/rollouts`, { version: 1, siteIds: ['yeouido'] }), 'rollout 24/7');
  }

  // The editor in Korean, with a mistyped closing time named next to its field.
  const ko = await signIn('ko', 1450);
  await ko.page.evaluate((h) => (window.location.hash = h), `#/policies/${id}`);
  await ko.page.getByTestId('policy-editor').waitFor({ timeout: 20_000 });
  await ko.page.getByTestId('policy-end-fri-0').fill('20:75');
  await ko.page.getByTestId('policy-save').click();
  await ko.page.getByTestId('policy-problem-fri-0').waitFor({ timeout: 5_000 }).catch(() => console.log('no problem shown'));
  await ko.page.getByTestId('policy-diff-lines').waitFor({ timeout: 10_000 }).catch(() => console.log('no diff shown'));
  await ko.page.evaluate(() => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    const scroller = document.querySelector('.table-page');
    if (scroller) scroller.scrollTop = 0;
  });
  await ko.page.screenshot({ path: join(shots, '27-policy-editor.png') });
  await ko.context.close();

  // The rollout board in English once gangnam's edge applied v2, before a rollback.
  // Wide enough for the admin's English top bar, which wraps and overflows below about 1700 px.
  const en = await signIn('en', 1000, 1800);
  await en.page.evaluate((h) => (window.location.hash = h), `#/policies/${id}`);
  await en.page.getByTestId('policy-tab-rollout').click();
  await en.page.locator('[data-testid="policy-board-row-gangnam"][data-status="applied"]').waitFor({ timeout: 30_000 }).catch(() => console.log('gangnam not applied yet'));
  await en.page.waitForTimeout(800);
  await en.page.locator('[data-testid^="policy-staged-"][data-state="waiting"]').waitFor({ timeout: 30_000 }).catch(() => console.log('staged rollout not waiting yet'));
  await en.page.screenshot({ path: join(shots, '28-policy-rollout-board.png') });
  // The dry run against the real cloud: Saturday 23:00 at gangnam, when v2 has the site closed.
  await en.page.getByTestId('policy-tab-dry-run').click();
  await en.page.getByTestId('dry-run-date').fill('2026-12-12');
  await en.page.getByTestId('dry-run-time').fill('23:00');
  await en.page.getByTestId('dry-run-submit').click();
  const result = en.page.getByTestId('dry-run-result');
  await result.waitFor({ timeout: 10_000 }).catch(() => console.log('no dry-run result'));
  console.log(`dry run: site open ${await result.getAttribute('data-site-open')}, ${await en.page.getByTestId('dry-run-decision').count()} decisions, ${await en.page.getByTestId('dry-run-scenario').count()} scenarios`);
  await en.context.close();
} finally {
  await browser.close();
  stop(sys.sim);
  stop(sys.edge);
  stop(sys.cloud);
}
