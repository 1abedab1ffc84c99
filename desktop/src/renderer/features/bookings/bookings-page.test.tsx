// @vitest-environment happy-dom
import { act } from 'react';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { afterEach, describe, expect, it } from 'vitest';
import { SiteDoc } from '@cr/shared';
import { capabilitiesFor } from '../../app/capabilities';
import { TopBar } from '../../app/TopBar';
import type { User } from '../../data/api-types';
import type { LiveDoc } from '../../data/live-doc';
import { Store } from '../../data/store';
import { click, mockCloud, mount, until, type Routes } from '../notifications/test-harness';
import type { Booking, Resource } from './booking-api';
import { BookingsPage } from './BookingsPage';
import { localToEpoch, siteToday } from './booking-time';

let view: ReturnType<typeof mount> | undefined;
afterEach(() => view?.unmount());

const MANAGER: User = { id: 'u-m', role: 'site-manager', tenantId: 'demo', siteIds: ['gangnam'], email: 'gangnam.manager@demo.local' };
const RESOURCES: Resource[] = [
  { id: 'meeting-room', kind: 'meeting-room', name: 'Meeting room', zoneId: 'meeting', capacity: 6 },
  { id: 'phone-booth', kind: 'phone-booth', name: 'Phone booth', zoneId: 'booth', capacity: 1 },
];
const today = siteToday('Asia/Seoul');
/** 10:00–11:00 today in Seoul: 01:00–02:00 UTC, whatever zone the test runs in. */
const TEN = localToEpoch(today, 10 * 60, 'Asia/Seoul')!;
const HOUR = 3_600_000;
const BOOKING: Booking = { id: 'b-1', siteId: 'gangnam', resourceId: 'meeting-room', memberId: 'card-0042', start: TEN, end: TEN + HOUR, state: 'booked' };

/** The site document as the edge fills it: people counted per zone. */
function siteDocWithOccupancy(counts: Record<string, number>): LiveDoc {
  const doc = new Y.Doc();
  for (const [zoneId, count] of Object.entries(counts)) new SiteDoc(doc).setOccupancy(zoneId, count, Date.now());
  return { doc, awareness: new Awareness(doc), status: new Store({ cloud: 'synced', edge: 'off', restored: true }) } as unknown as LiveDoc;
}

const routes = (bookings: Booking[], more: Routes = {}): Routes => ({
  'GET /api/v1/sites/gangnam/resources': [200, RESOURCES],
  'GET /api/v1/sites/gangnam/bookings': () => [200, bookings],
  'GET /api/v1/sites/gangnam/booking-report': [200, { siteId: 'gangnam', from: 0, to: 1, resources: [{ resourceId: 'meeting-room', name: 'Meeting room', bookedMinutes: 600, usedMinutes: 450, utilisationPct: 75, bookings: 10, noShows: 2, noShowRatePct: 20 }] }],
  ...more,
});
const block = () => view!.host.querySelector<HTMLElement>('[data-testid="booking-block"][data-booking-id="b-1"]');
const key = (el: Element, k: string) => act(() => void el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true })));

describe('booking timeline', () => {
  it('places a 10:00–11:00 booking in the 10:00 column of the site’s day, with live occupancy per resource', async () => {
    const cloud = mockCloud(routes([BOOKING]));
    view = mount(<BookingsPage user={MANAGER} siteId="gangnam" />, cloud.fetchImpl, 'en', { siteDocs: new Map([['gangnam', siteDocWithOccupancy({ booth: 1, meeting: 0 })]]) });
    await until(() => !!block());
    // The day runs 07:00–22:00 (15 h): 10:00 is 3 h in, one hour wide.
    expect(view.byTestId('booking-timeline')!.dataset.window).toBe('07:00-22:00');
    expect(parseFloat(block()!.style.left)).toBeCloseTo(20);
    expect(parseFloat(block()!.style.width)).toBeCloseTo(100 / 15);
    expect(block()!.dataset.time).toBe('10:00–11:00');
    expect(block()!.getAttribute('aria-label')).toBe('card-0042, 10:00–11:00, Booked');
    expect(view.byTestId('booking-row-meeting-room')!.contains(block())).toBe(true);
    const booth = view.byTestId('booking-occupancy-phone-booth')!;
    expect(booth.textContent).toBe('In use without a booking · 1');
    expect(view.byTestId('booking-occupancy-meeting-room')!.textContent).toBe('Empty');
    const asked = cloud.sent.find((s) => s.path === '/api/v1/sites/gangnam/bookings');
    expect(asked).toBeDefined();
    await until(() => !!view!.byTestId('booking-report-row-meeting-room'));
    expect(view.byTestId('booking-report-row-meeting-room')!.textContent).toContain('75.0 %');
  });

  it('hides cancelled bookings unless asked, and shows released ones as no-shows', async () => {
    const cloud = mockCloud(routes([{ ...BOOKING, state: 'cancelled' }, { ...BOOKING, id: 'b-2', start: TEN + 2 * HOUR, end: TEN + 3 * HOUR, state: 'released' }]));
    view = mount(<BookingsPage user={MANAGER} siteId="gangnam" />, cloud.fetchImpl);
    await until(() => view!.host.querySelectorAll('[data-testid="booking-block"]').length === 1);
    expect(view.host.querySelector('[data-state="released"]')!.getAttribute('aria-label')).toContain('Released (no-show)');
    click(view.byTestId('booking-show-cancelled'));
    expect(block()!.dataset.state).toBe('cancelled');
  });

  it('moves a selected booking by 15 min with the arrow keys, once confirmed', async () => {
    const cloud = mockCloud(routes([BOOKING], { 'PATCH /api/v1/bookings/b-1': (b) => [200, { ...BOOKING, ...(b as object) }] }));
    view = mount(<BookingsPage user={MANAGER} siteId="gangnam" />, cloud.fetchImpl);
    await until(() => !!block());
    act(() => block()!.focus());
    key(block()!, 'ArrowRight');
    key(block()!, 'ArrowRight');
    key(block()!, 'ArrowLeft');
    expect(view.byTestId('booking-nudge')!.textContent).toContain('Move to 10:15–11:15?');
    expect(cloud.sent.some((s) => s.method === 'PATCH')).toBe(false);
    click(view.byTestId('booking-nudge-confirm'));
    await until(() => cloud.sent.some((s) => s.method === 'PATCH'));
    expect(cloud.sent.find((s) => s.method === 'PATCH')!.body).toEqual({ start: TEN + 15 * 60_000, end: TEN + HOUR + 15 * 60_000, resourceId: 'meeting-room' });
  });

  it('cancels only after the question is answered, then fetches the day again', async () => {
    const cloud = mockCloud(routes([BOOKING], { 'DELETE /api/v1/bookings/b-1': [204] }));
    view = mount(<BookingsPage user={MANAGER} siteId="gangnam" />, cloud.fetchImpl);
    await until(() => !!block());
    click(block());
    expect(view.byTestId('booking-detail-member')!.textContent).toBe('card-0042');
    click(view.byTestId('booking-cancel'));
    expect(view.byTestId('confirm-dialog')!.textContent).toContain(`card-0042 loses Meeting room 10:00–11:00 on ${today}.`);
    const fetched = cloud.sent.filter((s) => s.path.endsWith('/bookings')).length;
    click(view.byTestId('confirm-yes'));
    await until(() => cloud.sent.some((s) => s.method === 'DELETE'));
    await until(() => cloud.sent.filter((s) => s.path.endsWith('/bookings')).length > fetched);
    expect(view.byTestId('booking-notice')!.textContent).toBe('Booking cancelled.');
  });

  it('shows a 409 from the cloud with the member and time that hold the slot', async () => {
    const conflict = { id: 'b-1', resourceId: 'meeting-room', memberId: 'card-0042', start: TEN, end: TEN + HOUR };
    const cloud = mockCloud(routes([BOOKING], { 'POST /api/v1/sites/gangnam/bookings': [409, { error: 'conflict', message: 'taken', conflict }] }));
    view = mount(<BookingsPage user={MANAGER} siteId="gangnam" />, cloud.fetchImpl, 'ko');
    await until(() => !!block());
    click(view.byTestId('booking-new'));
    const member = view.byTestId('booking-member') as HTMLInputElement;
    act(() => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(member, 'card-0007');
      member.dispatchEvent(new Event('input', { bubbles: true }));
    });
    for (const [id, v] of [['booking-date', today], ['booking-start', '10:00'], ['booking-end', '10:30']] as const) {
      const el = view.byTestId(id) as HTMLInputElement;
      act(() => {
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, v);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
    }
    click(view.byTestId('booking-submit'));
    await until(() => !!view!.byTestId('booking-conflict'));
    expect(view.byTestId('booking-conflict')!.textContent).toContain(`이미 예약됨: card-0042 회원이 ${today} 10:00–11:00에 Meeting room을(를) 예약했습니다.`);
    await until(() => !!view!.byTestId('booking-next-free'));
    expect(view.byTestId('booking-next-free')!.textContent).toBe('대신 11:00–11:30에 예약');
  });
});

describe('who gets the booking screens', () => {
  const vendor: User = { id: 'u-v', role: 'vendor', tenantId: 'demo', siteIds: ['gangnam'] };
  it('gives vendors no booking page or menu entry; operators, admins and site managers get both', () => {
    expect(capabilitiesFor(vendor).bookings).toBe(false);
    for (const role of ['hq-operator', 'tenant-admin', 'site-manager'] as const) expect(capabilitiesFor({ ...MANAGER, role }).bookings).toBe(true);
    const { fetchImpl } = mockCloud({});
    view = mount(<TopBar user={vendor} caps={capabilitiesFor(vendor)} route={{ name: 'alerts' }} onHelp={() => undefined} />, fetchImpl);
    expect(view.byTestId('nav-alerts')).not.toBeNull();
    expect(view.byTestId('nav-bookings')).toBeNull();
    view.unmount();
    view = mount(<TopBar user={MANAGER} caps={capabilitiesFor(MANAGER)} route={{ name: 'bookings' }} onHelp={() => undefined} />, fetchImpl);
    expect(view.byTestId('nav-bookings')!.getAttribute('href')).toBe('#/bookings');
    expect(view.byTestId('nav-bookings')!.getAttribute('aria-current')).toBe('page');
  });
});
