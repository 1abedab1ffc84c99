// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../data/api-client';
import { Reachability } from '../../data/reachability';
import { SessionStore } from '../../data/session-store';
import { click, mockCloud, mount, until } from '../notifications/test-harness';
import { AcceptanceStep } from './AcceptanceStep';
import { DiscoveryStep } from './DiscoveryStep';
import { onboardingApi } from './onboarding-api';
import { edgeCommand } from '../admin/admin-forms';
import { siteHoursOf } from './wizard-model';

let view: ReturnType<typeof mount> | undefined;
afterEach(() => view?.unmount());

const SITE = { id: 'seongsu', name: '성수점', timezone: 'Asia/Seoul' };
const ZONES = [
  { id: 'lobby', name: '로비' },
  { id: 'office', name: '사무실' },
];
const apiOn = (fetchImpl: typeof fetch) =>
  onboardingApi(new ApiClient('http://cloud.test', new SessionStore(undefined, 'http://cloud.test'), new Reachability(undefined), fetchImpl));

const pick = (el: HTMLElement | null, value: string): void => {
  if (!(el instanceof HTMLSelectElement)) throw new Error('no such select');
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!.call(el, value);
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
};

const pendingDoor = { id: 'door-lobby', kind: 'door', name: 'Lobby door', zoneId: 'lobby', online: true, approval: 'pending', firmware: '1.0.0', model: 'sim-door' };

describe('discovery: approve and place', () => {
  it('approves a pending device in the zone the person chose', async () => {
    const cloud = mockCloud({
      'GET /api/v1/sites/seongsu/devices': [200, [pendingDoor]],
      'GET /api/v1/sites/seongsu': [200, { online: true }],
      'POST /api/v1/sites/seongsu/devices/door-lobby/approve': (body) => [200, { ...pendingDoor, ...(body as object), approval: 'approved' }],
    });
    view = mount(<DiscoveryStep api={apiOn(cloud.fetchImpl)} siteId="seongsu" timezone="Asia/Seoul" zones={ZONES} onNext={() => undefined} />, cloud.fetchImpl);
    const { byTestId } = view;
    await until(() => !!byTestId('onboarding-device-door-lobby'));
    const row = byTestId('onboarding-device-door-lobby')!;
    expect(row.textContent).toContain('sim-door');
    expect(row.textContent).toContain('1.0.0');
    expect((byTestId('onboarding-device-zone-door-lobby') as HTMLSelectElement).value).toBe('lobby');
    pick(byTestId('onboarding-device-zone-door-lobby'), 'office');
    click(byTestId('onboarding-device-approve-door-lobby'));
    await until(() => cloud.sent.some((s) => s.method === 'POST'));
    expect(cloud.sent.find((s) => s.method === 'POST')).toMatchObject({ path: '/api/v1/sites/seongsu/devices/door-lobby/approve', body: { zoneId: 'office' } });
    await until(() => !!byTestId('onboarding-discovery-done')?.textContent);
    expect(byTestId('onboarding-discovery-done')?.textContent).toBe('door-lobby approved in 사무실.');
  });

  it('shows an API 400 as a sentence, not a status code', async () => {
    const cloud = mockCloud({
      'GET /api/v1/sites/seongsu/devices': [200, [pendingDoor]],
      'POST /api/v1/sites/seongsu/devices/door-lobby/approve': [400, { error: 'zoneId: the site has no zone lobby; create it first' }],
    });
    view = mount(<DiscoveryStep api={apiOn(cloud.fetchImpl)} siteId="seongsu" timezone="Asia/Seoul" zones={ZONES} onNext={() => undefined} />, cloud.fetchImpl);
    await until(() => !!view!.byTestId('onboarding-device-approve-door-lobby'));
    click(view.byTestId('onboarding-device-approve-door-lobby'));
    await until(() => !!view!.byTestId('onboarding-discovery-error'));
    expect(view.byTestId('onboarding-discovery-error')?.textContent).toBe('Could not save: zoneId: the site has no zone lobby; create it first');
    expect(view.byTestId('onboarding-discovery-next')).toHaveProperty('disabled', true);
  });
});

describe('acceptance test and go-live', () => {
  it('keeps "Go live" disabled until every check is green, then shows the time from create to live', async () => {
    const events: unknown[] = [];
    const alerts: unknown[] = [];
    const cloud = mockCloud({
      'PUT /api/v1/members/onboarding-test-seongsu': (body) => [200, { id: 'onboarding-test-seongsu', ...(body as object) }],
      'GET /api/v1/sites/seongsu/events': () => [200, { items: events }],
      'GET /api/v1/alerts': () => [200, alerts],
    });
    const createdAt = Date.now() - 42_000;
    view = mount(<AcceptanceStep api={apiOn(cloud.fetchImpl)} site={SITE} zoneIds={['lobby']} createdAt={createdAt} onLive={() => undefined} />, cloud.fetchImpl);
    const { byTestId } = view;
    const goLive = () => byTestId('onboarding-go-live') as HTMLButtonElement;
    expect(goLive().disabled).toBe(true);
    click(byTestId('onboarding-acceptance-start'));
    await until(() => !!byTestId('onboarding-test-card'));
    const card = byTestId('onboarding-test-card')!.textContent!;
    expect(cloud.sent.find((s) => s.method === 'PUT')?.body).toMatchObject({ active: true, grants: [{ zoneIds: ['lobby'], siteIds: ['seongsu'] }] });
    expect(card).toContain(String((cloud.sent.find((s) => s.method === 'PUT')!.body as { credentials: Array<{ value: string }> }).credentials[0]!.value));

    const state = (c: string) => byTestId(`onboarding-check-${c}`)?.getAttribute('data-state');
    events.push({ id: 'e1', type: 'access.granted', ts: Date.now(), deviceId: 'reader-lobby', data: { memberId: 'onboarding-test-seongsu' } });
    await until(() => state('test-card') === 'passed', 6_000);
    expect(goLive().disabled).toBe(true);

    const target = (action: string) => ({ kind: 'door', doorId: 'door-lobby', action });
    events.push({ id: 'e2', type: 'command.executed', ts: Date.now(), deviceId: 'door-lobby', data: { target: target('unlock'), issuerName: 'HQ Kim' } });
    events.push({ id: 'e3', type: 'command.executed', ts: Date.now() + 1, deviceId: 'door-lobby', data: { target: target('lock'), issuerName: 'HQ Kim' } });
    await until(() => state('remote-door') === 'passed', 6_000);
    expect(goLive().disabled).toBe(true);

    // The site going offline is no test alarm; a forced door is.
    alerts.push({ id: 'a0', siteId: 'seongsu', type: 'site.offline', raisedAt: Date.now() });
    await act(() => new Promise((r) => setTimeout(r, 2_500)));
    expect(state('test-alarm')).toBe('waiting');
    alerts.push({ id: 'a1', siteId: 'seongsu', type: 'door.forced', raisedAt: Date.now() });
    await until(() => state('test-alarm') === 'passed', 6_000);
    expect(goLive().disabled).toBe(false);

    click(goLive());
    await until(() => !!byTestId('onboarding-live-time'));
    const shown = /^(\d+\.\d) s from "create site" to live$/.exec(byTestId('onboarding-live-time')?.textContent ?? '');
    // created 42 s before the test began, live within the test's own time limit
    expect(Number(shown?.[1])).toBeGreaterThanOrEqual(42);
    expect(Number(shown?.[1])).toBeLessThan(72);
    // The test card is retired once the site is live.
    expect(cloud.sent.filter((s) => s.method === 'PUT').at(-1)?.body).toMatchObject({ active: false, credentials: [] });
  }, 30_000);
});

describe('opening-hours templates', () => {
  it('become the gateway staffed hours, and custom hours must be two different times', () => {
    expect(siteHoursOf({ template: 'office', open: '', close: '' })).toEqual({ hours: '08:00-22:00' });
    expect(siteHoursOf({ template: '24h', open: '', close: '' })).toEqual({});
    expect(siteHoursOf({ template: 'custom', open: '07:00', close: '23:30' })).toEqual({ hours: '07:00-23:30' });
    expect(siteHoursOf({ template: 'custom', open: '07:00', close: '07:00' })).toEqual({ problem: 'bad-hours' });
    expect(siteHoursOf({ template: 'custom', open: '7', close: '23:00' })).toEqual({ problem: 'bad-hours' });
    // The wizard's gateway admits nothing on its own: each device is approved in the console.
    expect(edgeCommand({ siteId: 'seongsu', cloudUrl: 'http://127.0.0.1:8080/', token: 'tok', commissioning: false, siteHours: '08:00-22:00' }).command).toBe(
      'npm run edge -- --site seongsu --cloud http://127.0.0.1:8080 --token tok --site-hours 08:00-22:00',
    );
  });
});
