// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { NotificationsPage } from './NotificationsPage';
import type { DeliveryRow, SilenceRow } from './notifications-api';
import { click, mockCloud, mount, type, until, type Routes } from './test-harness';

let view: ReturnType<typeof mount> | undefined;
afterEach(() => view?.unmount());

const ADMIN = { notifications: true, manageNotifications: true, silence: true };
const HQ = { notifications: true, manageNotifications: false, silence: true };
const T0 = Date.UTC(2026, 2, 10, 5, 0); // 14:00 in Seoul

const hook = {
  id: 'ch-1',
  kind: 'webhook',
  url: 'https://hooks.example.com/cr',
  secretHint: 'sha256:0a1b2c3d',
  createdAt: T0,
};
const dead: DeliveryRow = {
  id: 'n-dead-1',
  alertId: 'gangnam.door-lobby.door.forced.1',
  siteId: 'gangnam',
  event: 'raised',
  ruleId: 'r-1',
  channel: { id: 'ch-1', kind: 'webhook', label: 'hooks.example.com' },
  status: 'dead',
  queuedAt: T0,
  deadAt: T0 + 3_600_000,
  lastError: 'HTTP 503',
  attempts: [{ n: 1, at: T0, statusCode: 503, durationMs: 12 }],
};
const silence: SilenceRow = {
  id: 'si-1',
  siteId: 'gangnam',
  deviceId: 'door-lobby',
  types: ['door.held-open'],
  startsAt: T0,
  endsAt: Date.now() + 3_600_000,
  reason: 'door repair',
  author: { id: 'u-1', name: 'Kim Minji' },
  createdAt: T0,
};

const base = (): Routes => ({
  'GET /api/v1/notifications/channels': [200, [hook]],
  'GET /api/v1/notifications/rules': [
    200,
    [
      {
        id: 'r-1',
        channelId: 'ch-1',
        siteIds: ['gangnam'],
        categories: ['security'],
        minSeverity: 'major',
        escalateAfterMin: 10,
        notifyResolved: true,
        createdAt: T0,
      },
    ],
  ],
  'GET /api/v1/notifications/dead-letters': [200, [dead]],
  'GET /api/v1/notifications/silences': [200, [silence]],
});

describe('notifications page', () => {
  it('shows a tenant admin the channels, rules, dead letters and silences, in site time', async () => {
    const cloud = mockCloud(base());
    view = mount(<NotificationsPage caps={ADMIN} />, cloud.fetchImpl);
    const { byTestId } = view;
    await until(
      () =>
        !!byTestId('notify-channel-ch-1') &&
        !!byTestId('notify-rule-r-1') &&
        !!byTestId('notify-dead-n-dead-1') &&
        !!byTestId('silence-si-1'),
    );
    expect(byTestId('notify-channel-ch-1')?.textContent).toContain('https://hooks.example.com/cr');
    expect(byTestId('notify-rule-r-1')?.textContent).toBe(
      'Webhook · https://hooks.example.com/cr강남점SecurityMajor and aboveafter 10 minYesRemove',
    );
    expect(byTestId('notify-dead-n-dead-1')?.textContent).toContain('2026-03-10 15:00');
    expect(byTestId('notify-dead-n-dead-1')?.textContent).toContain('HTTP 503');
    expect(byTestId('silence-si-1')?.textContent).toContain('Kim Minji');
    expect(byTestId('silence-window-si-1')?.textContent).toMatch(/^2026-03-10 14:00 – /);
  });

  it('hides channels, rules and Retry from an HQ operator, who still reads dead letters and silences', async () => {
    const cloud = mockCloud(base());
    view = mount(<NotificationsPage caps={HQ} />, cloud.fetchImpl);
    const { byTestId } = view;
    await until(() => !!byTestId('notify-dead-n-dead-1') && !!byTestId('silence-si-1'));
    expect(byTestId('notify-channels')).toBeNull();
    expect(byTestId('notify-rules')).toBeNull();
    expect(byTestId('notify-dead-retry-n-dead-1')).toBeNull();
    expect(byTestId('silence-form')).not.toBeNull();
    expect(cloud.sent.map((s) => s.path)).not.toContain('/api/v1/notifications/channels');
  });

  it('offers no silence form and no End now to someone who may only read silences', async () => {
    const cloud = mockCloud(base());
    view = mount(<NotificationsPage caps={{ ...HQ, silence: false }} />, cloud.fetchImpl);
    const { byTestId } = view;
    await until(() => !!byTestId('silence-si-1'));
    expect(byTestId('silence-form')).toBeNull();
    expect(byTestId('silence-end-si-1')).toBeNull();
  });

  it('retries a dead letter and says so', async () => {
    const cloud = mockCloud({
      ...base(),
      'POST /api/v1/notifications/dead-letters/n-dead-1/retry': [202, { id: 'n-dead-1', status: 'pending' }],
    });
    view = mount(<NotificationsPage caps={ADMIN} />, cloud.fetchImpl);
    const { byTestId } = view;
    await until(() => !!byTestId('notify-dead-retry-n-dead-1'));
    click(byTestId('notify-dead-retry-n-dead-1'));
    await until(() => byTestId('notify-dead-done')?.textContent === 'Queued again.');
    expect(cloud.sent.filter((s) => s.method === 'POST').map((s) => s.path)).toEqual([
      '/api/v1/notifications/dead-letters/n-dead-1/retry',
    ]);
  });

  it('checks the channel form first, then shows the cloud’s own reason for refusing e-mail', async () => {
    const cloud = mockCloud({
      ...base(),
      'POST /api/v1/notifications/channels': [
        400,
        { message: 'e-mail channels need the cloud started with --smtp-url' },
      ],
    });
    view = mount(<NotificationsPage caps={ADMIN} />, cloud.fetchImpl);
    const { byTestId } = view;
    await until(() => !!byTestId('notify-channel-form'));
    click(byTestId('notify-channel-add'));
    expect(byTestId('notify-channel-url-problem')?.textContent).toBe('Required.');
    expect(byTestId('notify-channel-secret-problem')?.textContent).toBe('Required.');
    type(byTestId('notify-channel-url'), 'ftp://hooks.example.com');
    click(byTestId('notify-channel-add'));
    expect(byTestId('notify-channel-url-problem')?.textContent).toBe('The URL must start with https:// or http://.');
    click(byTestId('notify-channel-kind-email'));
    expect(byTestId('notify-channel-url')).toBeNull();
    type(byTestId('notify-channel-to'), 'ops@example.com, nobody');
    click(byTestId('notify-channel-add'));
    expect(byTestId('notify-channel-to-problem')?.textContent).toBe('One of the addresses is not an e-mail address.');
    expect(cloud.sent.some((s) => s.method === 'POST')).toBe(false);
    type(byTestId('notify-channel-to'), 'ops@example.com');
    click(byTestId('notify-channel-add'));
    await until(() => !!byTestId('notify-channel-error'));
    expect(byTestId('notify-channel-error')?.textContent).toBe(
      'Could not save: e-mail channels need the cloud started with --smtp-url',
    );
    expect(cloud.sent.find((s) => s.method === 'POST')?.body).toEqual({ kind: 'email', to: ['ops@example.com'] });
  });

  it('creates a rule for the ticked sites and categories', async () => {
    const cloud = mockCloud({ ...base(), 'POST /api/v1/notifications/rules': [201, { id: 'r-2' }] });
    view = mount(<NotificationsPage caps={ADMIN} />, cloud.fetchImpl);
    const { byTestId } = view;
    await until(() => !!byTestId('notify-rule-channel')?.querySelector('option[value="ch-1"]'));
    click(byTestId('notify-rule-site-hongdae'));
    click(byTestId('notify-rule-category-safety'));
    type(byTestId('notify-rule-escalate'), '0');
    click(byTestId('notify-rule-add'));
    expect(byTestId('notify-rule-escalate-problem')?.textContent).toBe(
      'Whole minutes from 1 to 10080 (7 days), or empty.',
    );
    type(byTestId('notify-rule-escalate'), '30');
    click(byTestId('notify-rule-resolved'));
    click(byTestId('notify-rule-add'));
    await until(() => byTestId('notify-rule-done')?.textContent === 'Rule added.');
    expect(cloud.sent.find((s) => s.method === 'POST')?.body).toEqual({
      channelId: 'ch-1',
      siteIds: ['hongdae'],
      categories: ['safety'],
      escalateAfterMin: 30,
      notifyResolved: true,
    });
  });

  it('removes a channel only after the question, and Escape keeps it', async () => {
    const cloud = mockCloud({ ...base(), 'DELETE /api/v1/notifications/channels/ch-1': [204] });
    view = mount(<NotificationsPage caps={ADMIN} />, cloud.fetchImpl);
    const { byTestId } = view;
    await until(() => !!byTestId('notify-channel-remove-ch-1'));
    click(byTestId('notify-channel-remove-ch-1'));
    expect(byTestId('confirm-dialog')?.textContent).toContain('https://hooks.example.com/cr');
    act(() =>
      byTestId('confirm-cancel')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })),
    );
    expect(byTestId('confirm-dialog')).toBeNull();
    expect(cloud.sent.some((s) => s.method === 'DELETE')).toBe(false);
    click(byTestId('notify-channel-remove-ch-1'));
    click(byTestId('confirm-yes'));
    await until(() => byTestId('confirm-dialog') === null);
    expect(cloud.sent.filter((s) => s.method === 'DELETE').map((s) => s.path)).toEqual([
      '/api/v1/notifications/channels/ch-1',
    ]);
    expect(byTestId('notify-channel-remove-done')?.textContent).toBe('Channel removed.');
  });

  it('silences a site for 2 hours and ends a silence now', async () => {
    const cloud = mockCloud({
      ...base(),
      'POST /api/v1/notifications/silences': [201, { id: 'si-2' }],
      'DELETE /api/v1/notifications/silences/si-1': [204],
    });
    view = mount(<NotificationsPage caps={HQ} />, cloud.fetchImpl);
    const { byTestId } = view;
    await until(() => !!byTestId('silence-si-1'));
    click(byTestId('silence-create'));
    expect(byTestId('silence-reason-problem')?.textContent).toBe('Required.');
    type(byTestId('silence-reason'), 'cleaning crew');
    click(byTestId('silence-preset-2h'));
    const before = Date.now();
    click(byTestId('silence-create'));
    await until(() => (byTestId('silence-done')?.textContent ?? '').startsWith('Silenced until'));
    const body = cloud.sent.find((s) => s.method === 'POST')?.body as { endsAt: number };
    expect(body).toMatchObject({ siteId: 'gangnam', reason: 'cleaning crew' });
    expect(body.endsAt - before).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect(body.endsAt - before).toBeLessThan(2 * 3_600_000 + 5_000);
    click(byTestId('silence-end-si-1'));
    click(byTestId('confirm-yes'));
    await until(() => byTestId('silence-end-done')?.textContent === 'Silence ended.');
    expect(cloud.sent.filter((s) => s.method === 'DELETE').map((s) => s.path)).toEqual([
      '/api/v1/notifications/silences/si-1',
    ]);
  });
});
