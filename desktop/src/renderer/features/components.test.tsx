// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandStatus } from '@cr/shared';
import { ServicesContext } from '../app/services-context';
import type { Services } from '../app/services';
import type { ApiClient } from '../data/api-client';
import { LanTokenStore } from '../data/lan-token-store';
import { Reachability } from '../data/reachability';
import { SessionStore } from '../data/session-store';
import { SettingsStore } from '../data/settings-store';
import { I18nProvider } from '../i18n/i18n';
import type { Platform } from '../platform/types';
import { CommandDialog } from './commands/CommandDialog';
import { ConnectionBanner } from './connection/ConnectionBanner';
import { SiteList } from './overview/SiteList';
import { generatedSites } from './overview/load-test';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

function services(api: Partial<ApiClient> = {}): Services {
  return {
    platform: {} as Platform,
    session: new SessionStore(undefined, 'http://cloud'),
    reach: new Reachability(undefined),
    settings: new SettingsStore(undefined),
    lanTokens: new LanTokenStore(undefined),
    api: api as ApiClient,
  };
}

function render(node: React.ReactNode, s: Services, lang: 'ko' | 'en' = 'en'): void {
  act(() =>
    root.render(
      <ServicesContext.Provider value={s}>
        <I18nProvider lang={lang}>{node}</I18nProvider>
      </ServicesContext.Provider>,
    ),
  );
}

const byTestId = (id: string): HTMLElement | null => host.querySelector(`[data-testid="${id}"]`);

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await act(() => new Promise((r) => setTimeout(r, 10)));
  }
}

describe('SiteList', () => {
  it('lists every site as a keyboard-usable button with its status', () => {
    const sites = generatedSites(3);
    sites[1] = { ...sites[1]!, online: false };
    let opened = '';
    render(<SiteList sites={sites} onOpen={(id) => (opened = id)} />, services());
    const items = host.querySelectorAll('[data-testid^="site-list-item-"]');
    expect(items).toHaveLength(3);
    expect(byTestId('site-list-item-load-001')?.dataset.tone).toBe('offline');
    expect(byTestId('site-list-item-load-001')?.textContent).toContain('Offline');
    act(() => (items[2] as HTMLButtonElement).click());
    expect(opened).toBe('load-002');
  });
});

describe('ConnectionBanner', () => {
  it('says the cloud is unreachable and how old the state is, then that it reconnected', () => {
    const s = services();
    s.reach.cloudOk(Date.now() - 3 * 60_000);
    render(<ConnectionBanner />, s);
    expect(byTestId('connection-banner')?.dataset.state).toBe('ok');
    act(() => s.reach.cloudDown());
    expect(byTestId('connection-banner')?.dataset.state).toBe('offline');
    expect(byTestId('connection-banner')?.textContent).toContain('3 minutes old');
    act(() => {
      s.reach.cloudOk();
      s.reach.cloudDown();
    });
    expect(byTestId('connection-banner')?.textContent).toContain('less than a minute old');
    act(() => {
      s.reach.cloudOk();
      s.reach.reconnected(5);
    });
    expect(byTestId('connection-banner')?.textContent).toContain('merged 5 changes');
  });
});

describe('CommandDialog', () => {
  const target = { kind: 'door' as const, siteId: 'gangnam', siteName: 'Gangnam', doorId: 'door-lobby', doorName: 'Lobby door' };
  const user = { id: 'u1', role: 'hq-operator' as const, tenantId: 'demo', siteIds: [] };

  it('names site and door, requires a reason, then shows the server status until executed', async () => {
    const sent: unknown[] = [];
    const statuses: CommandStatus[] = ['sent', 'executed'];
    const s = services({
      doorCommand: async (...args: unknown[]) => (sent.push(args), { id: 'c1', status: 'pending' as const }),
      command: async () => ({ id: 'c1', status: statuses.shift() ?? 'executed' }),
    } as Partial<ApiClient>);
    render(<CommandDialog target={target} user={user} onClose={() => undefined} />, s);
    expect(byTestId('command-site')?.textContent).toBe('Gangnam');
    expect(byTestId('command-door')?.textContent).toBe('Lobby door');
    const confirm = byTestId('command-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    act(() => (byTestId('command-action-unlock') as HTMLButtonElement).click());
    const reason = byTestId('command-reason') as HTMLInputElement;
    act(() => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(reason, 'technician visit');
      reason.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(confirm.disabled).toBe(false);
    act(() => confirm.click());
    await until(() => byTestId('command-status')?.dataset.status === 'executed', 5_000);
    expect(sent[0]).toEqual(['gangnam', 'door-lobby', { action: 'unlock', reason: 'technician visit' }, { via: 'cloud' }]);
  });

  it('shows "not sent" when the cloud cannot be reached', async () => {
    const { ApiError } = await import('../data/api-error');
    const s = services({ siteMode: async () => Promise.reject(new ApiError(0, 'unreachable')) } as Partial<ApiClient>);
    render(<CommandDialog target={{ kind: 'mode', siteId: 'gangnam', siteName: 'Gangnam', mode: 'lockdown' }} user={user} onClose={() => undefined} />, s);
    expect(byTestId('command-mode')?.textContent).toBe('Lockdown');
    const reason = byTestId('command-reason') as HTMLInputElement;
    act(() => {
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(reason, 'intruder');
      reason.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => (byTestId('command-confirm') as HTMLButtonElement).click());
    await until(() => byTestId('command-status')?.dataset.status === 'send-failed');
    expect(byTestId('command-status')?.textContent).toContain('could not be reached');
  });
});
