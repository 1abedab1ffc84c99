// @vitest-environment happy-dom
import { createRef } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedAlert } from '../alerts/alert-feed';
import { AlertDetail, type AlertActions } from '../alerts/AlertDetail';
import { AlertRow } from '../alerts/AlertRow';
import { DeliveryLog } from './DeliveryLog';
import type { DeliveryRow, SilenceRow } from './notifications-api';
import { silenceFor } from './silences';
import { mockCloud, mount, until } from './test-harness';

let view: ReturnType<typeof mount> | undefined;
afterEach(() => view?.unmount());

const RAISED = Date.UTC(2026, 2, 10, 5, 0); // 14:00 in Seoul
const alert: FeedAlert = {
  id: 'gangnam.door-lobby.door.forced.1',
  siteId: 'gangnam',
  deviceId: 'door-lobby',
  type: 'door.forced',
  severity: 'critical',
  raisedAt: RAISED,
  source: 'edge',
  category: 'security',
  state: 'open',
  acks: [],
  notes: [],
  assignments: [],
  resolutions: [],
  causes: [],
  causeCleared: false,
  siteName: '강남점',
  timezone: 'Asia/Seoul',
};
const noActions: AlertActions = {
  ack: () => undefined,
  note: () => undefined,
  assign: () => undefined,
  resolve: () => undefined,
};
const path = `/api/v1/alerts/${encodeURIComponent(alert.id)}/deliveries`;

const delivered: DeliveryRow = {
  id: 'n-1',
  alertId: alert.id,
  siteId: 'gangnam',
  event: 'raised',
  ruleId: 'r-1',
  channel: { id: 'ch-1', kind: 'webhook', label: 'hooks.example.com' },
  status: 'delivered',
  queuedAt: RAISED,
  deliveredAt: RAISED + 62_000,
  attempts: [
    { n: 1, at: RAISED + 1_000, statusCode: 503, durationMs: 40 },
    { n: 2, at: RAISED + 61_000, statusCode: 200, durationMs: 35 },
  ],
};
const pending: DeliveryRow = {
  ...delivered,
  id: 'n-2',
  channel: { id: 'ch-2', kind: 'sms' },
  status: 'pending',
  deliveredAt: undefined,
  nextAttemptAt: RAISED + 120_000,
  lastError: 'connect ECONNREFUSED',
  attempts: [{ n: 1, at: RAISED + 2_000, error: 'connect ECONNREFUSED', durationMs: 3 }],
};

const silence = (over: Partial<SilenceRow> = {}): SilenceRow => ({
  id: 'si-1',
  siteId: 'gangnam',
  startsAt: RAISED - 60_000,
  endsAt: Date.UTC(2026, 2, 10, 7, 30), // 16:30 in Seoul
  reason: 'door repair',
  author: { id: 'u-1', name: 'Kim Minji' },
  createdAt: RAISED - 60_000,
  ...over,
});

function detail(notifications: boolean, s?: SilenceRow) {
  return (
    <AlertDetail
      alert={alert}
      canAct={false}
      viewers={[]}
      actions={noActions}
      noteRef={createRef()}
      notifications={notifications}
      silence={s}
    />
  );
}

describe('the delivery log of an alert', () => {
  it('says who was told, of what, each attempt with its answer, and when it arrived, in site time', async () => {
    const cloud = mockCloud({ [`GET ${path}`]: [200, [delivered, pending]] });
    view = mount(detail(true), cloud.fetchImpl);
    const { byTestId, host } = view;
    await until(() => host.querySelectorAll('[data-testid="delivery-entry"]').length === 2);
    const [first, second] = [...host.querySelectorAll<HTMLElement>('[data-testid="delivery-entry"]')];
    expect(first!.dataset.status).toBe('delivered');
    expect(first!.textContent).toContain('Webhook · hooks.example.com');
    expect(first!.textContent).toContain('Raised');
    expect(first!.textContent).toContain('delivered 2026-03-10 14:01');
    const attempts = [...first!.querySelectorAll('[data-testid="delivery-attempt"]')].map((a) => a.textContent);
    expect(attempts).toEqual([
      'Attempt 1 at 2026-03-10 14:00:01 · HTTP 503 · 40 ms',
      'Attempt 2 at 2026-03-10 14:01:01 · HTTP 200 · 35 ms',
    ]);
    expect(second!.textContent).toContain('Text message');
    expect(second!.querySelector('[data-testid="delivery-status"]')?.textContent).toBe('Retrying');
    expect(second!.textContent).toContain('next attempt 2026-03-10 14:02');
    expect(second!.textContent).toContain('connect ECONNREFUSED');
    expect(byTestId('delivery-log')?.querySelector('h3')?.textContent).toBe('Notifications (2)');
  });

  it('calls an escalation not tried yet scheduled, not retrying', async () => {
    const escalation: DeliveryRow = { ...pending, id: 'n-3', event: 'escalation', attempts: [], lastError: undefined };
    const cloud = mockCloud({ [`GET ${path}`]: [200, [escalation]] });
    view = mount(detail(true), cloud.fetchImpl);
    await until(() => !!view!.byTestId('delivery-status'));
    expect(view.byTestId('delivery-status')?.textContent).toBe('Scheduled');
    expect(view.byTestId('delivery-entry')?.textContent).toContain('Escalation');
  });

  it('says plainly when no rule matched, in Korean too', async () => {
    const cloud = mockCloud({ [`GET ${path}`]: [200, []] });
    view = mount(detail(true), cloud.fetchImpl, 'ko');
    await until(() => !!view!.byTestId('delivery-log-empty'));
    expect(view.byTestId('delivery-log-empty')?.textContent).toBe(
      '알린 사람이 없습니다: 이 알람에 맞는 규칙이 없습니다.',
    );
  });

  it('is not shown, nor asked for, where the user may not read it (vendors)', async () => {
    const cloud = mockCloud({ [`GET ${path}`]: [200, [delivered]] });
    view = mount(detail(false), cloud.fetchImpl);
    await until(() => !!view!.byTestId('alert-detail'));
    await new Promise((r) => setTimeout(r, 30));
    expect(view.byTestId('delivery-log')).toBeNull();
    expect(cloud.sent).toEqual([]);
  });

  it('refreshes while open: a retry that succeeds shows up without reopening', async () => {
    let answer: DeliveryRow[] = [pending];
    const cloud = mockCloud({ [`GET ${path}`]: () => [200, answer] });
    view = mount(<DeliveryLog alertId={alert.id} timezone="Asia/Seoul" refreshMs={40} />, cloud.fetchImpl);
    const status = () => view!.byTestId('delivery-status')?.textContent;
    await until(() => status() === 'Retrying');
    answer = [{ ...pending, status: 'delivered', deliveredAt: RAISED + 130_000 }];
    await until(() => status() === 'Delivered');
    expect(cloud.sent.length).toBeGreaterThanOrEqual(2);
  });
});

describe('silences on alerts', () => {
  it('covers alerts of its site raised while active, narrowed by device and type', () => {
    expect(silenceFor(alert, [silence()])?.id).toBe('si-1');
    expect(silenceFor(alert, [silence({ siteId: 'hongdae' })])).toBeUndefined();
    expect(silenceFor(alert, [silence({ deviceId: 'door-office' })])).toBeUndefined();
    expect(silenceFor(alert, [silence({ deviceId: 'door-lobby', types: ['door.forced'] })])?.id).toBe('si-1');
    expect(silenceFor(alert, [silence({ types: ['fire.alarm'] })])).toBeUndefined();
    expect(silenceFor(alert, [silence({ startsAt: RAISED + 1 })])).toBeUndefined();
    expect(silenceFor(alert, [silence({ endedAt: RAISED - 1 })])).toBeUndefined();
    const later = silence({ id: 'si-2', endsAt: Date.UTC(2026, 2, 10, 9, 0) });
    expect(silenceFor(alert, [silence(), later])?.id).toBe('si-2');
  });

  it('badges the row and the detail: silenced until HH:MM by NAME', async () => {
    const cloud = mockCloud({ [`GET ${path}`]: [200, []] });
    const s = silence();
    view = mount(
      <>
        <ul>
          <AlertRow
            alert={alert}
            selected={false}
            canAct={false}
            viewers={undefined}
            silence={s}
            onSelect={() => undefined}
            onAck={() => undefined}
          />
        </ul>
        {detail(true, s)}
      </>,
      cloud.fetchImpl,
    );
    const row = view.byTestId(`alert-silenced-${alert.id}`);
    // The silence ends on another day than today: the date is named too.
    expect(row?.textContent).toBe('Silenced until 2026-03-10 16:30 by Kim Minji');
    expect(view.byTestId('alert-detail-silenced')?.textContent).toBe('Silenced until 2026-03-10 16:30 by Kim Minji');
  });

  it('names only the time when the silence ends today, and no badge without a silence', () => {
    const cloud = mockCloud({});
    const endsAt = Date.now() + 60_000;
    const s = silence({ startsAt: Date.now() - 60_000, endsAt });
    const hhmm = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Seoul',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(endsAt);
    view = mount(
      <ul>
        <AlertRow
          alert={{ ...alert, id: 'a1', raisedAt: Date.now() }}
          selected={false}
          canAct={false}
          viewers={undefined}
          silence={s}
          onSelect={() => undefined}
          onAck={() => undefined}
        />
        <AlertRow
          alert={{ ...alert, id: 'a2' }}
          selected={false}
          canAct={false}
          viewers={undefined}
          onSelect={() => undefined}
          onAck={() => undefined}
        />
      </ul>,
      cloud.fetchImpl,
    );
    expect(view.byTestId('alert-silenced-a1')?.textContent).toBe(`Silenced until ${hhmm} by Kim Minji`);
    expect(view.byTestId('alert-silenced-a2')).toBeNull();
  });
});
