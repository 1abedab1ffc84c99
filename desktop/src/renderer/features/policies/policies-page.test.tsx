// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { POLICY_TEMPLATES } from '@cr/shared';
import { capabilitiesFor } from '../../app/capabilities';
import { parseRoute, routeHash } from '../../app/router';
import { TopBar } from '../../app/TopBar';
import type { User } from '../../data/api-types';
import { click, mockCloud, mount, type, until, type Routes } from '../notifications/test-harness';
import type { Assignment, PolicyDetail } from './policy-api';
import { PoliciesPage } from './PoliciesPage';

let view: ReturnType<typeof mount> | undefined;
afterEach(() => view?.unmount());

const ID = '6f1c2b7e-0000-4000-8000-000000000001';
const BODY = { openingHours: { mon: [['08:00', '20:00']], sat: [], sun: [] }, holidays: { country: 'KR' }, scenarios: [{ id: 'lights-off', trigger: { kind: 'zone-empty', zoneId: 'lounge', forMin: 15 }, actions: [{ kind: 'device', deviceId: 'light-1', action: 'off' }] }] };
const DETAIL: PolicyDetail = { id: ID, name: 'Office', createdAt: 1, createdBy: 'admin', latestVersion: 2, versions: [{ version: 1, createdAt: 1, createdBy: 'admin' }, { version: 2, createdAt: 2, createdBy: 'admin' }], body: BODY };
const STATUS: Assignment[] = [{ siteId: 'gangnam', policyId: ID, version: 2, status: 'applied', appliedVersion: 2 }, { siteId: 'hongdae', policyId: ID, version: 2, status: 'failed', error: 'body.openingHours.mon.0: bad clock', appliedVersion: 1 }];
const noRoute = (method: string, path: string) => [404, { error: 'not-found', message: `no route ${method} ${path}` }] as [number, unknown];

const routes = (more: Routes = {}): Routes => ({
  'GET /api/v1/policies': [200, [{ id: ID, name: 'Office', createdAt: 1, createdBy: 'admin', latestVersion: 2 }]],
  'GET /api/v1/policy-templates': [200, POLICY_TEMPLATES],
  [`GET /api/v1/policies/${ID}`]: [200, DETAIL],
  [`GET /api/v1/policies/${ID}/rollout-status`]: [200, STATUS],
  [`GET /api/v1/policies/${ID}/diff`]: [200, { from: 1, to: 2, changes: [{ path: 'openingHours.mon', kind: 'changed', text: 'openingHours.mon: 09:00–18:00 → 08:00–20:00' }] }],
  'GET /api/v1/sites/gangnam/policy': [200, { policyId: ID, version: 2, appliedVersion: 2, status: 'applied' }],
  'GET /api/v1/sites/hongdae/policy': [200, { policyId: ID, version: 2, status: 'failed' }],
  [`GET /api/v1/policies/${ID}/rollouts`]: noRoute('GET', `/api/v1/policies/${ID}/rollouts`),
  [`GET /api/v1/policies/${ID}/groups`]: noRoute('GET', `/api/v1/policies/${ID}/groups`),
  ...more,
});
const byTestId = (id: string) => view!.byTestId(id);
const press = (el: Element, key: string) => act(() => void el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })));
const pick = (el: HTMLElement | null, value: string): void => {
  if (!(el instanceof HTMLSelectElement)) throw new Error('no such select');
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!.call(el, value);
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
};
const submitForm = (el: HTMLElement | null) => act(() => void el!.closest('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));

describe('policies page', () => {
  it('shows the latest version in the editor: hours per day, holidays, scenarios as trigger → action', async () => {
    view = mount(<PoliciesPage canWrite policyId={ID} />, mockCloud(routes()).fetchImpl);
    await until(() => !!byTestId('policy-editor'));
    expect(byTestId('policy-day-mon')!.dataset.mode).toBe('hours');
    expect((byTestId('policy-end-mon-0') as HTMLInputElement).value).toBe('20:00');
    expect(byTestId('policy-day-sat')!.dataset.mode).toBe('closed');
    expect(byTestId('policy-day-tue')!.dataset.mode).toBe('unset');
    expect((byTestId('policy-holidays') as HTMLInputElement).checked).toBe(true);
    expect(byTestId('policy-scenario-lights-off')!.textContent).toBe('lights-off: Zone lounge empty for 15 min → light-1 off');
    expect(JSON.parse((byTestId('policy-raw') as HTMLTextAreaElement).value)).toEqual({ scenarios: BODY.scenarios });
    await until(() => !!byTestId('policy-diff-lines'));
    expect(byTestId('policy-diff-lines')!.textContent).toContain('09:00–18:00 → 08:00–20:00');
  });

  it('shows a bad time next to its field and sends nothing; the cloud’s 400 lands on its field too; a good one saves a version', async () => {
    let answer: [number, unknown] = [400, { error: 'bad-request', message: 'body.openingHours.mon.0.0: overlaps the next interval' }];
    const cloud = mockCloud(routes({ [`POST /api/v1/policies/${ID}/versions`]: () => answer }));
    view = mount(<PoliciesPage canWrite policyId={ID} />, cloud.fetchImpl);
    await until(() => !!byTestId('policy-end-mon-0'));
    type(byTestId('policy-end-mon-0'), '25:00');
    submitForm(byTestId('policy-save'));
    expect(byTestId('policy-problem-mon-0')!.textContent).toBe('Enter HH:MM between 00:00 and 24:00.');
    expect(cloud.sent.some((s) => s.method === 'POST')).toBe(false);
    type(byTestId('policy-end-mon-0'), '21:00');
    expect(byTestId('policy-problem-mon-0')).toBeNull();
    submitForm(byTestId('policy-save'));
    await until(() => !!byTestId('policy-problem-mon-0'));
    expect(byTestId('policy-problem-mon-0')!.textContent).toBe('overlaps the next interval');
    answer = [201, { version: 3 }];
    type(byTestId('policy-start-mon-0'), '07:00');
    submitForm(byTestId('policy-save'));
    await until(() => byTestId('policy-editor-notice')!.textContent === 'Saved as version 3.');
    const saved = cloud.sent.filter((s) => s.method === 'POST').at(-1)!;
    expect(saved.body).toEqual({ body: { ...BODY, openingHours: { ...BODY.openingHours, mon: [['07:00', '21:00']] } } });
  });

  it('lets readers see but not write: no new policy, save, rollout or rollback', async () => {
    view = mount(<PoliciesPage canWrite={false} policyId={ID} />, mockCloud(routes()).fetchImpl);
    await until(() => !!byTestId('policy-editor'));
    expect(byTestId('policy-new')).toBeNull();
    expect(byTestId('policy-save')).toBeNull();
    expect(byTestId('policy-template-apply')).toBeNull();
    expect((byTestId('policy-hours') as HTMLFieldSetElement).disabled).toBe(true);
    click(byTestId('policy-tab-rollout'));
    await until(() => !!byTestId('policy-board-row-gangnam'));
    expect(byTestId('policy-rollout')).toBeNull();
    expect(byTestId('policy-rollback')).toBeNull();
  });

  it('creates a policy from a template with Enter; Escape closes the dialog without sending', async () => {
    const cloud = mockCloud(routes({ 'POST /api/v1/policies': [201, { id: ID, version: 1 }] }));
    view = mount(<PoliciesPage canWrite policyId={ID} />, cloud.fetchImpl);
    await until(() => !!byTestId('policy-new'));
    click(byTestId('policy-new'));
    expect(document.activeElement).toBe(byTestId('new-policy-name'));
    press(byTestId('new-policy-name')!, 'Escape');
    expect(byTestId('new-policy-dialog')).toBeNull();
    click(byTestId('policy-new'));
    type(byTestId('new-policy-name'), 'Late office');
    await until(() => (byTestId('new-policy-template') as HTMLSelectElement).options.length === POLICY_TEMPLATES.length + 1);
    pick(byTestId('new-policy-template'), 'late-closing');
    press(byTestId('new-policy-name')!, 'Enter');
    await until(() => byTestId('new-policy-dialog') === null);
    const made = cloud.sent.find((s) => s.method === 'POST' && s.path === '/api/v1/policies')!;
    expect(made.body).toEqual({ name: 'Late office', body: POLICY_TEMPLATES.find((x) => x.id === 'late-closing')!.body });
    expect(cloud.sent.filter((s) => s.method === 'POST')).toHaveLength(1);
  });

  it('lays out the board with the edge’s reason, rolls back in one confirmed action, and says what the cloud lacks', async () => {
    const cloud = mockCloud(routes({ [`POST /api/v1/policies/${ID}/rollouts`]: [202, { policyId: ID, version: 1, sites: [] }] }));
    view = mount(<PoliciesPage canWrite policyId={ID} />, cloud.fetchImpl);
    await until(() => !!byTestId('policy-tab-rollout'));
    click(byTestId('policy-tab-rollout'));
    await until(() => byTestId('policy-board-row-hongdae')?.dataset.status === 'failed');
    expect(byTestId('policy-board-row-gangnam')!.dataset).toMatchObject({ holds: 'this', version: '2', status: 'applied', applied: '2' });
    expect(byTestId('policy-error-hongdae')!.textContent).toContain('The edge refused: body.openingHours.mon.0: bad clock');
    expect(byTestId('policy-board-counts')!.textContent).toBe('Assigned 0 · delivered 0 · applied 1 · failed 1');
    await until(() => !!byTestId('policy-staged-missing') && !!byTestId('policy-groups-missing'));
    click(byTestId('policy-rollback'));
    expect(byTestId('rollback-dialog')!.textContent).toContain('Sites on v2 go back to v1: 강남점, 홍대점.');
    expect(document.activeElement).toBe(byTestId('rollback-dialog-cancel'));
    click(byTestId('rollback-dialog-submit'));
    await until(() => byTestId('rollback-dialog') === null);
    const sent = cloud.sent.filter((s) => s.method === 'POST' && s.path.endsWith('/rollouts'));
    expect(sent.map((s) => s.body)).toEqual([{ version: 1, siteIds: ['gangnam', 'hongdae'] }]);
    expect(byTestId('policy-notice')!.textContent).toBe('Version 1 assigned again to 2 site(s).');
  });

  it('sends a staged rollout with its first sites, wait and stop signals', async () => {
    const cloud = mockCloud(routes({ [`POST /api/v1/policies/${ID}/rollouts`]: [202, { rolloutId: 'r1', state: 'first-stage' }] }));
    view = mount(<PoliciesPage canWrite policyId={ID} />, cloud.fetchImpl);
    await until(() => !!byTestId('policy-tab-rollout'));
    click(byTestId('policy-tab-rollout'));
    await until(() => !!byTestId('policy-rollout'));
    click(byTestId('policy-rollout'));
    expect((byTestId('rollout-dialog-submit') as HTMLButtonElement).disabled).toBe(true);
    click(byTestId('rollout-site-gangnam'));
    click(byTestId('rollout-site-hongdae'));
    click(byTestId('rollout-staged'));
    expect(byTestId('rollout-problem')!.textContent).toBe('Choose the first sites among them.');
    click(byTestId('rollout-first-gangnam'));
    type(byTestId('rollout-waitSec'), '120');
    type(byTestId('rollout-maxDeniedRatePct'), '20');
    press(byTestId('rollout-waitSec')!, 'Enter');
    await until(() => byTestId('rollout-dialog') === null);
    const sent = cloud.sent.find((s) => s.method === 'POST' && s.path.endsWith('/rollouts'))!;
    expect(sent.body).toEqual({ version: 2, siteIds: ['gangnam', 'hongdae'], stages: { firstSiteIds: ['gangnam'], waitSec: 120, stopWhen: { maxFailedApplies: 0, maxDeniedRate: 0.2, maxNewAlerts: 5 } } });
  });

  it('runs a dry run at a site time with the site’s offset and shows decisions and scenarios', async () => {
    const cloud = mockCloud(routes({
      [`POST /api/v1/policies/${ID}/dry-run`]: [200, { siteId: 'gangnam', at: '2026-12-12T23:00:00+09:00', siteOpen: false, decisions: [{ memberId: 'member-0001', memberName: 'Kim', zoneId: 'lounge', result: 'denied', reason: 'site-closed' }, { memberId: 'member-night', zoneId: 'lounge', result: 'granted', reason: 'after-hours' }], scenarios: [{ scenarioId: 'lights-off', fires: true, why: 'lounge empty', actions: [] }] }],
    }));
    view = mount(<PoliciesPage canWrite policyId={ID} />, cloud.fetchImpl);
    await until(() => !!byTestId('policy-tab-dry-run'));
    click(byTestId('policy-tab-dry-run'));
    type(byTestId('dry-run-date'), '2026-12-12');
    type(byTestId('dry-run-time'), '23:00');
    submitForm(byTestId('dry-run-submit'));
    await until(() => !!byTestId('dry-run-result'));
    expect(cloud.sent.find((s) => s.path.endsWith('/dry-run'))!.body).toEqual({ version: 2, siteId: 'gangnam', at: '2026-12-12T23:00:00+09:00' });
    expect(byTestId('dry-run-result')!.dataset.siteOpen).toBe('false');
    expect(byTestId('dry-run-counts')!.textContent).toBe('1 granted, 1 denied.');
    click(byTestId('dry-run-denied-only'));
    const rows = view.host.querySelectorAll('[data-testid="dry-run-decision"]');
    expect([...rows].map((r) => r.textContent)).toEqual(['Kim (member-0001)loungedeniedsite-closed']);
    expect(byTestId('dry-run-scenario')!.dataset.fires).toBe('true');
  });

  it('shows staged rollouts with their signals and why one stopped, stops a running one, and lays A/B groups side by side', async () => {
    const base = { version: 2, firstSiteIds: ['gangnam'], restSiteIds: ['hongdae'], waitSec: 600, stopWhen: { maxFailedApplies: 0, maxDeniedRate: 0.3, maxNewAlerts: 5 }, createdBy: 'admin' };
    const running = { ...base, rolloutId: 'r-run', state: 'waiting', createdAt: 2, nextStageAt: 9e12, signals: { failedApplies: 0, deniedSwipes: 2, swipes: 40, newAlerts: 1 } };
    const stopped = { ...base, rolloutId: 'r-old', state: 'stopped', createdAt: 1, reason: 'denied rate 45.0% (9 of 20 swipes) at the first sites is above 30%', signals: { failedApplies: 0, deniedSwipes: 9, swipes: 20, newAlerts: 0 } };
    const group = (version: number, siteIds: string[], swipes: number, denied: number) => ({ version, siteIds, figures: { swipes, deniedSwipes: denied, deniedRate: denied / swipes, alerts: 3, bookings: 10, noShows: 1, noShowRate: 0.1 } });
    const cloud = mockCloud(routes({
      [`GET /api/v1/policies/${ID}/rollouts`]: [200, [stopped, running]],
      [`POST /api/v1/policies/${ID}/rollouts/r-run/stop`]: [200, { ...running, state: 'cancelled' }],
      [`GET /api/v1/policies/${ID}/groups`]: [200, [group(2, ['gangnam'], 40, 2), group(1, ['hongdae'], 50, 10)]],
    }));
    view = mount(<PoliciesPage canWrite policyId={ID} />, cloud.fetchImpl);
    await until(() => !!byTestId('policy-tab-rollout'));
    click(byTestId('policy-tab-rollout'));
    await until(() => !!byTestId('policy-staged-r-run') && !!byTestId('policy-group-v1'));
    const items = [...view.host.querySelectorAll<HTMLElement>('[data-testid^="policy-staged-r-"]')];
    expect(items.map((i) => i.dataset.state)).toEqual(['waiting', 'stopped']);
    expect(byTestId('policy-staged-r-run')!.textContent).toContain('Failed applies 0 (max 0) · denied 5.0 % of 40 swipes (max 30.0 %) · new alerts 1 (max 5)');
    expect(byTestId('policy-staged-r-old')!.textContent).toContain('Stopped: denied rate 45.0%');
    expect(byTestId('policy-staged-stop-r-old')).toBeNull();
    expect(byTestId('policy-board-row-gangnam')!.textContent).toContain('first sites');
    expect(byTestId('policy-board-row-hongdae')!.textContent).toContain('waiting for first sites');
    click(byTestId('policy-staged-stop-r-run'));
    await until(() => byTestId('policy-notice')!.textContent === 'Staged rollout of v2 stopped; the rest keep what they had.');
    expect(cloud.sent.some((x) => x.method === 'POST' && x.path === `/api/v1/policies/${ID}/rollouts/r-run/stop`)).toBe(true);
    const heads = [...byTestId('policy-groups')!.querySelectorAll('thead th')].map((h) => h.textContent);
    expect(heads).toEqual(['Last 7 days', 'v1', 'v2']);
    const denied = [...byTestId('policy-groups')!.querySelectorAll('tbody tr')].find((r) => r.textContent!.startsWith('Denied'))!;
    expect([...denied.querySelectorAll('td')].map((c) => c.textContent)).toEqual(['10 (20.0 %)', '2 (5.0 %)']);
  });

  it('switches views with ← and → on the tabs', async () => {
    view = mount(<PoliciesPage canWrite policyId={ID} />, mockCloud(routes()).fetchImpl, 'ko');
    await until(() => !!byTestId('policy-tab-edit'));
    act(() => byTestId('policy-tab-edit')!.focus());
    press(byTestId('policy-tab-edit')!, 'ArrowRight');
    expect(byTestId('policy-tab-rollout')!.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(byTestId('policy-tab-rollout'));
    expect(byTestId('policy-board')).not.toBeNull();
    press(byTestId('policy-tab-rollout')!, 'ArrowLeft');
    expect(byTestId('policy-editor')!.textContent).toContain('운영 시간');
  });

  it('gives vendors no policies page or menu entry; everyone else reads; only tenant admins write', () => {
    const user = (role: User['role']): User => ({ id: 'u', role, tenantId: 'demo', siteIds: ['gangnam'], email: `${role}@demo.local` });
    expect(capabilitiesFor(user('vendor'))).toMatchObject({ policies: false, managePolicies: false });
    for (const role of ['hq-operator', 'site-manager'] as const) expect(capabilitiesFor(user(role))).toMatchObject({ policies: true, managePolicies: false });
    expect(capabilitiesFor(user('tenant-admin'))).toMatchObject({ policies: true, managePolicies: true });
    expect(parseRoute(`#/policies/${ID}`)).toEqual({ name: 'policies', policyId: ID });
    expect(routeHash({ name: 'policies', policyId: ID })).toBe(`#/policies/${ID}`);
    const { fetchImpl } = mockCloud({});
    view = mount(<TopBar user={user('vendor')} caps={capabilitiesFor(user('vendor'))} route={{ name: 'alerts' }} onHelp={() => undefined} />, fetchImpl);
    expect(view.byTestId('nav-policies')).toBeNull();
    view.unmount();
    view = mount(<TopBar user={user('hq-operator')} caps={capabilitiesFor(user('hq-operator'))} route={{ name: 'policies' }} onHelp={() => undefined} />, fetchImpl);
    expect(view.byTestId('nav-policies')!.getAttribute('aria-current')).toBe('page');
  });
});
