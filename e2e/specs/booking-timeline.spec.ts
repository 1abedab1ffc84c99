import { test, expect } from '../fixtures/test';
import { getJson, login } from '@cr/demo';
import { ConsolePage } from '../page-models/console';

/** Tomorrow's date in Seoul (YYYY-MM-DD), whatever zone the test machine runs in. */
const seoulDate = (ts: number): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ts);

interface Resource {
  id: string;
  zoneId: string;
  name: string;
}
interface Booking {
  id: string;
  resourceId: string;
  memberId: string;
  start: number;
  end: number;
  state: string;
}

/**
 * A site manager books gangnam's meeting room for a member on the console's timeline, in the site's
 * time (10:00–11:00 Seoul, tomorrow so no no-show grace runs out during the test), sees the block in
 * the 10:00 column, and cancels it; the cloud's record follows each step.
 */
test('booking timeline: a site manager books the meeting room for a member, sees the block, cancels it', async ({ system, browser }) => {
  const cloud = system.cloudUrl;
  const token = await login(cloud, 'gangnam.manager@demo.local');
  const room = (await getJson<Resource[]>(`${cloud}/api/v1/sites/gangnam/resources`, token)).find((r) => r.zoneId === 'meeting');
  expect(room, 'gangnam has a meeting room in zone meeting (CONTRACT.md §8)').toBeDefined();
  const date = seoulDate(Date.now() + 86_400_000);
  const start = Date.parse(`${date}T10:00:00+09:00`);
  const end = Date.parse(`${date}T11:00:00+09:00`);
  const bookingsOfDay = () => getJson<Booking[]>(`${cloud}/api/v1/sites/gangnam/bookings?from=${start - 10 * 3_600_000}&to=${end + 13 * 3_600_000}&resourceId=${room!.id}`, token);

  const manager = await ConsolePage.signIn(browser, cloud, 'gangnam.manager@demo.local');
  const page = manager.page;
  await page.getByTestId('nav-bookings').click();
  await expect(page.getByTestId('bookings-page')).toHaveAttribute('data-site-id', 'gangnam');
  // A site manager picks only among their own sites.
  await expect(page.getByTestId('booking-site').locator('option')).toHaveCount(1);
  await expect(page.getByTestId(`booking-row-${room!.id}`)).toBeVisible();

  // Tomorrow, with the keyboard: ← and → on the day controls change the day.
  await page.getByTestId('booking-prev-day').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('booking-date-pick')).toHaveValue(date);

  await page.getByTestId(`booking-new-${room!.id}`).click();
  const dialog = page.getByTestId('booking-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('booking-resource')).toHaveValue(room!.id);
  await page.getByTestId('booking-member').fill('member-0001');
  await page.getByTestId('booking-date').fill(date);
  await page.getByTestId('booking-start').fill('10:00');
  await page.getByTestId('booking-end').fill('11:00');
  await page.getByTestId('booking-end').press('Enter');
  await expect(dialog).toHaveCount(0);

  const block = page.getByTestId(`booking-row-${room!.id}`).locator('[data-testid="booking-block"][data-time="10:00–11:00"]');
  await expect(block).toHaveAttribute('data-state', 'booked');
  await expect(block).toContainText('member-0001');
  const [made] = (await bookingsOfDay()).filter((b) => b.memberId === 'member-0001' && b.state === 'booked');
  expect(made).toMatchObject({ resourceId: room!.id, start, end });
  // The 10:00 column of a 07:00–22:00 day: 3 of 15 hours in.
  const track = await page.getByTestId(`booking-track-${room!.id}`).boundingBox();
  const box = await block.boundingBox();
  expect(Math.abs((box!.x - track!.x) / track!.width - 0.2)).toBeLessThan(0.01);

  // Booking the same slot again is refused, naming who holds it.
  await page.getByTestId(`booking-new-${room!.id}`).click();
  await page.getByTestId('booking-member').fill('member-0002');
  await page.getByTestId('booking-date').fill(date);
  await page.getByTestId('booking-start').fill('10:30');
  await page.getByTestId('booking-end').fill('11:00');
  await page.getByTestId('booking-submit').click();
  await expect(page.getByTestId('booking-conflict')).toContainText('member-0001');
  await expect(page.getByTestId('booking-conflict')).toContainText('10:00–11:00');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // Cancel, after the question.
  await block.click();
  await expect(page.getByTestId('booking-detail')).toHaveAttribute('data-booking-id', made!.id);
  await page.getByTestId('booking-cancel').click();
  await page.getByTestId('confirm-yes').click();
  await expect(block).toHaveCount(0);
  await expect.poll(async () => (await bookingsOfDay()).find((b) => b.id === made!.id)?.state).toBe('cancelled');
  await page.getByTestId('booking-show-cancelled').check();
  await expect(page.getByTestId(`booking-row-${room!.id}`).locator(`[data-booking-id="${made!.id}"]`)).toHaveAttribute('data-state', 'cancelled');
});
