import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { LiveDataContext, type LiveData } from '../../app/live-data';
import type { Services } from '../../app/services';
import { ServicesContext } from '../../app/services-context';
import { ApiClient } from '../../data/api-client';
import { LanTokenStore } from '../../data/lan-token-store';
import { Reachability } from '../../data/reachability';
import { SessionStore } from '../../data/session-store';
import { SettingsStore } from '../../data/settings-store';
import { I18nProvider, type Lang } from '../../i18n/i18n';
import type { SiteRow } from '../overview/site-rows';
import type { Platform } from '../../platform/types';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A request the console sent to the mocked cloud. */
export interface Sent {
  method: string;
  path: string;
  body: unknown;
}
type Reply = [status: number, body?: unknown];
export type Routes = Record<string, Reply | ((body: unknown) => Reply)>;

/** A cloud answering `"METHOD /path"` routes; anything else is a 404. */
export function mockCloud(routes: Routes) {
  const sent: Sent[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    sent.push({ method, path: url.pathname, body });
    const route = routes[`${method} ${url.pathname}`];
    const [status, out] = typeof route === 'function' ? route(body) : (route ?? [404, { message: 'not found' }]);
    return new Response(status === 204 ? null : JSON.stringify(out ?? {}), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { sent, fetchImpl };
}

export const SITES: SiteRow[] = [
  {
    id: 'gangnam',
    name: '강남점',
    lat: 37.5,
    lng: 127,
    timezone: 'Asia/Seoul',
    online: true,
    mode: 'normal',
    fireActive: false,
    openAlerts: 0,
    worstSeverity: undefined,
  },
  {
    id: 'hongdae',
    name: '홍대점',
    lat: 37.55,
    lng: 126.92,
    timezone: 'Asia/Seoul',
    online: true,
    mode: 'normal',
    fireActive: false,
    openAlerts: 0,
    worstSeverity: undefined,
  },
];

/** Renders `node` as the console would: services with a real ApiClient on the mocked fetch, queries, live sites, language. */
export function mount(node: ReactNode, fetchImpl: typeof fetch, lang: Lang = 'en', liveOverrides: Partial<LiveData> = {}) {
  const host = document.createElement('div');
  document.body.append(host);
  const root: Root = createRoot(host);
  const session = new SessionStore(undefined, 'http://cloud.test');
  const reach = new Reachability(undefined);
  const services: Services = {
    platform: {} as Platform,
    session,
    reach,
    settings: new SettingsStore(undefined),
    lanTokens: new LanTokenStore(undefined),
    api: new ApiClient('http://cloud.test', session, reach, fetchImpl),
  };
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const live: LiveData = {
    sites: SITES,
    siteById: new Map(SITES.map((s) => [s.id, s])),
    alerts: [],
    siteDocs: new Map(),
    sitesLoading: false,
    ...liveOverrides,
  };
  act(() =>
    root.render(
      <ServicesContext.Provider value={services}>
        <I18nProvider lang={lang}>
          <QueryClientProvider client={queries}>
            <LiveDataContext.Provider value={live}>{node}</LiveDataContext.Provider>
          </QueryClientProvider>
        </I18nProvider>
      </ServicesContext.Provider>,
    ),
  );
  const byTestId = (id: string): HTMLElement | null => host.querySelector(`[data-testid="${id}"]`);
  return {
    host,
    byTestId,
    unmount: () => {
      act(() => root.unmount());
      queries.clear();
      host.remove();
    },
  };
}

export async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await act(() => new Promise((r) => setTimeout(r, 10)));
  }
}

/** Types into an input or textarea the way React sees a person type. */
export function type(el: HTMLElement | null, value: string): void {
  if (!el) throw new Error('no such field');
  act(() => {
    const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export const click = (el: HTMLElement | null): void => {
  if (!el) throw new Error('nothing to click');
  act(() => el.click());
};
