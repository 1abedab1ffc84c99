// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../data/api-client';
import { Reachability } from '../../data/reachability';
import { SessionStore } from '../../data/session-store';
import { mockCloud, mount, type, until, type Routes } from '../notifications/test-harness';
import { bookingApi, type Resource } from './booking-api';
import { BookingDialog } from './BookingDialog';
import { blankForm } from './booking-form';

let view: ReturnType<typeof mount> | undefined;
afterEach(() => view?.unmount());

const SITE = { id: 'gangnam', name: '강남점', timezone: 'Asia/Seoul' };
const RESOURCES: Resource[] = [
  { id: 'meeting-room', kind: 'meeting-room', name: 'Meeting room', zoneId: 'meeting', capacity: 6 },
  { id: 'phone-booth', kind: 'phone-booth', name: 'Phone booth', zoneId: 'booth', capacity: 1 },
];
const apiOn = (fetchImpl: typeof fetch) => bookingApi(new ApiClient('http://cloud.test', new SessionStore(undefined, 'http://cloud.test'), new Reachability(undefined), fetchImpl));
const key = (el: Element, k: string, shiftKey = false) => act(() => void el.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true, cancelable: true })));

function open(routes: Routes, closed: string[] = [], done: string[] = []) {
  const cloud = mockCloud(routes);
  view = mount(
    <BookingDialog
      site={SITE}
      resources={RESOURCES}
      members={[{ id: 'card-0007', name: 'Kim Minji' }]}
      memberName={(id) => (id === 'card-0007' ? 'Kim Minji (card-0007)' : id)}
      api={apiOn(cloud.fetchImpl)}
      initial={blankForm('meeting-room', '2026-03-02', 9 * 60)}
      onDone={(m) => done.push(m)}
      onClose={() => closed.push('closed')}
    />,
    cloud.fetchImpl,
  );
  return cloud;
}

describe('booking dialog', () => {
  it('turns the site-local date and times into epoch ms (10:00 in Seoul is 01:00 UTC) and submits on Enter', async () => {
    const done: string[] = [];
    const cloud = open({ 'POST /api/v1/sites/gangnam/bookings': (b) => [201, { id: 'b-1', siteId: 'gangnam', state: 'booked', ...(b as object) }] }, [], done);
    const { byTestId } = view!;
    expect(document.activeElement).toBe(byTestId('booking-member'));
    type(byTestId('booking-member'), 'card-0007');
    type(byTestId('booking-start'), '10:00');
    type(byTestId('booking-end'), '11:30');
    key(byTestId('booking-end')!, 'Enter');
    await until(() => done.length === 1);
    expect(cloud.sent.find((s) => s.method === 'POST')).toMatchObject({
      path: '/api/v1/sites/gangnam/bookings',
      body: { resourceId: 'meeting-room', memberId: 'card-0007', start: Date.UTC(2026, 2, 2, 1, 0), end: Date.UTC(2026, 2, 2, 2, 30) },
    });
    expect(done[0]).toBe('Booked Meeting room 10:00–11:30 for Kim Minji (card-0007).');
  });

  it('closes on Escape and keeps Tab inside the dialog', () => {
    const closed: string[] = [];
    open({}, closed);
    const dialog = view!.byTestId('booking-dialog')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.getAttribute('aria-labelledby')).toBeTruthy();
    const last = view!.byTestId('booking-close')!;
    act(() => last.focus());
    key(last, 'Tab');
    expect(document.activeElement).toBe(dialog.querySelector('select'));
    key(document.activeElement!, 'Tab', true);
    expect(document.activeElement).toBe(last);
    key(dialog, 'Escape');
    expect(closed).toEqual(['closed']);
  });

  it('explains a refusal: who holds the slot and when, and offers the next free slot', async () => {
    const held = { id: 'b-9', resourceId: 'meeting-room', memberId: 'card-0042', start: Date.UTC(2026, 2, 2, 1), end: Date.UTC(2026, 2, 2, 2) };
    open({
      'POST /api/v1/sites/gangnam/bookings': [409, { error: 'conflict', message: 'the resource is booked then', conflict: held }],
      'GET /api/v1/sites/gangnam/bookings': [200, [{ ...held, siteId: 'gangnam', state: 'booked' }]],
    });
    const { byTestId } = view!;
    type(byTestId('booking-member'), 'card-0007');
    type(byTestId('booking-start'), '10:30');
    type(byTestId('booking-end'), '11:00');
    act(() => byTestId('booking-submit')!.click());
    await until(() => !!byTestId('booking-next-free'));
    expect(byTestId('booking-conflict')!.textContent).toContain('Taken: card-0042 has Meeting room 10:00–11:00 on 2026-03-02.');
    expect(byTestId('booking-next-free')!.textContent).toBe('Book 11:00–11:30 instead');
    act(() => byTestId('booking-next-free')!.click());
    expect((byTestId('booking-start') as HTMLInputElement).value).toBe('11:00');
    expect((byTestId('booking-end') as HTMLInputElement).value).toBe('11:30');
  });

  it('repeats weekly on the chosen days, the first day always included, holidays skipped', async () => {
    const done: string[] = [];
    const one = (id: string, day: number) => ({ id, siteId: 'gangnam', resourceId: 'meeting-room', memberId: 'card-0007', start: Date.UTC(2026, 2, day, 0), end: Date.UTC(2026, 2, day, 1), state: 'booked', seriesId: 's-1' });
    const series = { seriesId: 's-1', created: [one('b-2', 2), one('b-3', 5), one('b-4', 9), one('b-5', 12), one('b-6', 16)], conflicts: [{ start: 0, end: 1, reason: 'holiday', message: 'public holiday' }] };
    const cloud = open({ 'POST /api/v1/sites/gangnam/bookings': [201, series] }, [], done);
    const { byTestId } = view!;
    type(byTestId('booking-member'), 'card-0007');
    act(() => byTestId('booking-repeat')!.click());
    expect((byTestId('booking-weekday-1') as HTMLInputElement).disabled).toBe(true);
    act(() => byTestId('booking-weekday-4')!.click());
    type(byTestId('booking-weeks'), '3');
    expect(byTestId('booking-repeat-summary')!.textContent).toBe('6 bookings in all.');
    act(() => byTestId('booking-submit')!.click());
    await until(() => cloud.sent.some((s) => s.method === 'POST'));
    expect(cloud.sent.find((s) => s.method === 'POST')!.body).toMatchObject({ recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=6', skipHolidays: true } });
    await until(() => done.length === 1);
    expect(done[0]).toBe('Booked Meeting room 09:00–10:00 for Kim Minji (card-0007). 5 bookings made, 1 left out (taken, outside the resource’s rules or holidays).');
  });
});
