// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetPage } from './FleetPage';
import type { DeviceHealthView, FleetRow } from './fleet-api';
import { click, mockCloud, mount, until, type Routes } from '../notifications/test-harness';

let view: ReturnType<typeof mount> | undefined;
afterEach(() => view?.unmount());

const row = (over: Partial<FleetRow> & Pick<FleetRow, 'siteId' | 'id' | 'kind'>): FleetRow => ({
  name: over.id,
  approval: 'approved',
  health: 'online',
  errors24h: 0,
  flapping: false,
  ...over,
});

const FLEET: FleetRow[] = [
  row({ siteId: 'gangnam', id: 'door-lobby', kind: 'door', model: 'DL-1', firmware: '2.1.0', battery: 64, lastSeenAt: Date.UTC(2026, 0, 5, 1, 2, 3) }),
  row({ siteId: 'gangnam', id: 'env-1', kind: 'env', model: 'EN-1', firmware: '1.0.0', battery: 12, errors24h: 3 }),
  row({ siteId: 'gangnam', id: 'reader-new', kind: 'reader', model: 'RD-9', health: 'pending', approval: 'pending' }),
  row({ siteId: 'hongdae', id: 'door-lobby', kind: 'door', model: 'DL-1', firmware: '2.0.0', health: 'offline', flapping: true }),
];

const HEALTH: DeviceHealthView = {
  availability: [
    { from: Date.now() - 3 * 86_400_000, to: Date.now() - 86_400_000, state: 'online' },
    { from: Date.now() - 86_400_000, state: 'offline' },
  ],
  uptimePct7d: 66.7,
  health: 'offline',
  errors24h: 0,
  flapping: true,
  firmware: '2.0.0',
};

const routes = (): Routes => ({
  'GET /api/v1/devices': [200, FLEET],
  'GET /api/v1/sites/hongdae/devices/door-lobby/health': [200, HEALTH],
});

const rows = () => [...view!.host.querySelectorAll<HTMLElement>('[data-testid="fleet-row"]')].map((r) => r.dataset.key);
const choose = (field: string, value: string) => {
  const select = view!.byTestId(`fleet-filter-${field}`) as HTMLSelectElement;
  act(() => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
};

describe('fleet page', () => {
  it('lists every device across sites; the filters, filled from the data, narrow the rows', async () => {
    const { fetchImpl } = mockCloud(routes());
    view = mount(<FleetPage />, fetchImpl);
    await until(() => rows().length === 4);
    const options = (field: string) => [...(view!.byTestId(`fleet-filter-${field}`) as HTMLSelectElement).options].map((o) => o.value);
    expect(options('model')).toEqual(['', 'DL-1', 'EN-1', 'RD-9']);
    expect(options('firmware')).toEqual(['', '1.0.0', '2.0.0', '2.1.0']);
    expect(options('siteId')).toEqual(['', 'gangnam', 'hongdae']);

    choose('model', 'DL-1');
    expect(rows()).toEqual(['gangnam/door-lobby', 'hongdae/door-lobby']);
    choose('firmware', '2.0.0');
    expect(rows()).toEqual(['hongdae/door-lobby']);
    choose('firmware', '');
    choose('model', '');
    choose('siteId', 'gangnam');
    choose('health', 'pending');
    expect(rows()).toEqual(['gangnam/reader-new']);
    choose('siteId', '');
    choose('health', 'flapping');
    expect(rows()).toEqual(['hongdae/door-lobby']);
    choose('health', 'low-battery');
    expect(rows()).toEqual(['gangnam/env-1']);
    choose('health', '');
    choose('kind', 'reader');
    expect(rows()).toEqual(['gangnam/reader-new']);
    expect(view.byTestId('fleet-count')!.textContent).toContain('1 of 4 devices');
  });

  it('warns of a low battery (below 20 %) and shows health, last seen in site time and errors', async () => {
    const { fetchImpl } = mockCloud(routes());
    view = mount(<FleetPage />, fetchImpl);
    await until(() => rows().length === 4);
    const cells = (key: string) => view!.host.querySelector<HTMLElement>(`[data-key="${key}"]`)!;
    expect(cells('gangnam/env-1').querySelector('[data-testid="battery-low"]')?.textContent).toBe('Low');
    expect(cells('gangnam/door-lobby').querySelector('[data-testid="battery-low"]')).toBeNull();
    expect(cells('gangnam/door-lobby').textContent).toContain('2026-01-05 10:02:03');
    expect(cells('hongdae/door-lobby').querySelector('[data-testid="health-badge"]')?.getAttribute('data-health')).toBe('offline');
    expect(cells('hongdae/door-lobby').querySelector('[data-testid="flapping-badge"]')).not.toBeNull();
    expect(view.host.querySelectorAll('[data-testid="battery-low"]')).toHaveLength(1);
  });

  it('opens a device with Enter: its availability strip over 7 days and its figures', async () => {
    const { fetchImpl, sent } = mockCloud(routes());
    view = mount(<FleetPage />, fetchImpl);
    await until(() => rows().length === 4);
    const target = view.host.querySelector<HTMLElement>('[data-key="hongdae/door-lobby"]')!;
    expect(target.tabIndex).toBe(0);
    act(() => void target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    await until(() => !!view!.byTestId('availability-strip'));
    expect(sent.some((s) => s.path === '/api/v1/sites/hongdae/devices/door-lobby/health')).toBe(true);
    const spans = [...view.byTestId('availability-strip')!.querySelectorAll('rect[data-state]')].map((r) => r.getAttribute('data-state'));
    expect(spans).toEqual(['online', 'offline']);
    expect(view.byTestId('fleet-uptime')!.textContent).toBe('66.7 %');
    click(view.byTestId('fleet-detail-close'));
    expect(view.byTestId('fleet-detail')).toBeNull();
  });
});
