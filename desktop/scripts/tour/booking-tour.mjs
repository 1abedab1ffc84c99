/* global document, HTMLElement */
// Booking screens of the UI tour: a real cloud + gangnam's edge and simulator (system.mjs), a few
// bookings of today seeded through the cloud's booking API, then the site manager's timeline in
// Korean and the booking dialog explaining a taken slot, into docs/screenshots/.
// Run after `npm run build -w @cr/desktop`: node desktop/scripts/tour/booking-tour.mjs
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSystem, stop } from './system.mjs';

const shots = new URL('../../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });
const PASSWORD = 'demo-pass-1234';
const QUARTER = 15 * 60_000;
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

try {
  const manager = await cloudAs('gangnam.manager@demo.local');
  const resources = await manager('GET', '/api/v1/sites/gangnam/resources');
  if (resources.status !== 200 || !Array.isArray(resources.body) || resources.body.length === 0) throw new Error(`no bookable resources at this cloud yet (GET /api/v1/sites/gangnam/resources answered ${resources.status})`);
  const [room, second = room] = [resources.body.find((r) => r.zoneId === 'meeting') ?? resources.body[0], ...resources.body.filter((r) => r.zoneId !== 'meeting')];
  const now = Math.floor(Date.now() / QUARTER) * QUARTER;
  const book = async (resource, member, from, to) => {
    const r = await manager('POST', '/api/v1/sites/gangnam/bookings', { resourceId: resource.id, memberId: member, start: now + from * QUARTER, end: now + to * QUARTER });
    if (r.status !== 201) console.log(`booking ${resource.id} ${member} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  // In use now (checked in), later today, a cancelled one, and on the second resource a weekly series.
  const current = await book(room, 'member-0001', -2, 4);
  if (current?.id) await manager('POST', `/api/v1/bookings/${current.id}/check-in`);
  await book(room, 'member-0002', 8, 12);
  const dropped = await book(room, 'member-0003', 14, 16);
  if (dropped?.id) await manager('DELETE', `/api/v1/bookings/${dropped.id}`);
  await book(second, 'member-0004', 2, 6);
  await manager('POST', '/api/v1/sites/gangnam/bookings', {
    resourceId: second.id,
    memberId: 'member-0005',
    start: now + 10 * QUARTER,
    end: now + 14 * QUARTER,
    recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6', skipHolidays: true },
  });

  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  await context.addInitScript(() => localStorage.setItem('cr.settings', JSON.stringify({ lang: 'ko' })));
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.goto(`${url}/`);
  await page.getByTestId('login-email').fill('gangnam.manager@demo.local');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-bookings').click();
  await page.getByTestId('booking-block').first().waitFor({ timeout: 20_000 });
  await page.getByTestId('booking-show-cancelled').check();
  await page.getByTestId('booking-block').first().click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(shots, '25-booking-timeline.png') });

  // The slot of the checked-in booking asked for again: the dialog names who holds it.
  await page.getByTestId('booking-detail-close').click();
  await page.getByTestId(`booking-new-${room.id}`).click();
  await page.getByTestId('booking-member').fill('member-0009');
  const clock = (ts) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ts);
  await page.getByTestId('booking-start').fill(clock(now));
  await page.getByTestId('booking-end').fill(clock(now + 2 * QUARTER));
  await page.getByTestId('booking-submit').click();
  await page.getByTestId('booking-conflict').waitFor({ timeout: 10_000 }).catch(() => console.log('no conflict shown'));
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await page.screenshot({ path: join(shots, '26-booking-conflict.png') });
  await context.close();
} finally {
  await browser.close();
  stop(sys.sim);
  stop(sys.edge);
  stop(sys.cloud);
}
