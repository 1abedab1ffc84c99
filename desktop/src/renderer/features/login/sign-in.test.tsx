// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../app/App';
import type { Services } from '../../app/services';
import { ApiClient } from '../../data/api-client';
import { LanTokenStore } from '../../data/lan-token-store';
import { Reachability } from '../../data/reachability';
import { SessionStore } from '../../data/session-store';
import { SettingsStore } from '../../data/settings-store';
import type { Platform } from '../../platform/types';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const CLOUD = 'http://cloud.test';
const USER = { id: 'hq-1', role: 'hq-operator', tenantId: 'demo', siteIds: [], email: 'hq@demo.local' };
const SITES = [{ id: 'gangnam', name: 'Gangnam', lat: 37.5, lng: 127.03, online: true, mode: 'normal', openAlerts: 0 }];

/** A sync server that never answers and an IndexedDB whose open never completes: the worst case at sign-in. */
class SilentSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readyState = 0;
  binaryType = 'arraybuffer';
  onopen = null;
  onclose = null;
  onerror = null;
  onmessage = null;
  send(): void {}
  close(): void {}
}
const stuckIndexedDb = { open: () => ({}) as IDBOpenDBRequest, deleteDatabase: () => ({}) as IDBOpenDBRequest };

type Answer = (url: string, init?: RequestInit) => Promise<Response>;
const json = (body: unknown, status = 200): Promise<Response> => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

function services(login: Answer, loginTimeoutMs = 8_000, password?: Answer): { services: Services; loginAnswered: () => number | undefined } {
  let answeredAt: number | undefined;
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    if (url.endsWith('/api/v1/auth/login')) {
      const res = await login(url, init);
      answeredAt = performance.now();
      return res;
    }
    if (url.endsWith('/api/v1/auth/password') && password) return password(url, init);
    if (url.endsWith('/api/v1/sites')) return json(SITES);
    if (url.endsWith('/health')) return json({ status: 'ok' });
    return json({ error: 'not found' }, 404);
  }) as typeof fetch;
  const session = new SessionStore(undefined, CLOUD);
  const reach = new Reachability(undefined);
  const platform: Platform = {
    kind: 'web',
    cloudUrl: CLOUD,
    multiDisplay: false,
    listDisplays: async () => [],
    openOnDisplay: async () => undefined,
    rememberRoute: () => undefined,
    notifyCritical: () => undefined,
    onNavigate: () => () => undefined,
  };
  return {
    services: { platform, session, reach, settings: new SettingsStore(window.localStorage), lanTokens: new LanTokenStore(undefined), api: new ApiClient(CLOUD, session, reach, fetchImpl, loginTimeoutMs) },
    loginAnswered: () => answeredAt,
  };
}

let host: HTMLDivElement;
let root: Root;
let getContext: ReturnType<typeof vi.fn>;
beforeEach(() => {
  vi.stubGlobal('WebSocket', SilentSocket);
  vi.stubGlobal('indexedDB', stuckIndexedDb);
  getContext = vi.fn(() => null);
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(getContext as never);
  window.localStorage.setItem('cr.settings', JSON.stringify({ lang: 'en' }));
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  window.localStorage.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const byTestId = (id: string): HTMLElement | null => host.querySelector(`[data-testid="${id}"]`);

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await act(() => new Promise((r) => setTimeout(r, 5)));
  }
}

function type(testId: string, value: string): void {
  const input = byTestId(testId) as HTMLInputElement;
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

function signIn(s: Services): void {
  act(() => root.render(<App services={s} />));
  act(() => {
    type('login-email', 'hq@demo.local');
    type('login-password', 'demo-pass-1234');
  });
  act(() => (byTestId('login-form') as HTMLFormElement).requestSubmit());
}

describe('sign-in', () => {
  it('opens the console within a second of the cloud answering, without waiting for sync, local storage or the GPU', async () => {
    const { services: s, loginAnswered } = services(() => json({ accessToken: 'a', refreshToken: 'r', user: USER }));
    signIn(s);
    await until(() => !!byTestId('current-user') && !!byTestId('site-list-item-gangnam'));
    const shownAt = performance.now();
    expect(shownAt - loginAnswered()!).toBeLessThan(1_000);
    expect(byTestId('login-form')).toBeNull();
    // WebGL is started only after the site list painted: a busy GPU process never holds up sign-in.
    expect(getContext).not.toHaveBeenCalled();
  });

  it('says so when the cloud does not answer in time, and lets the operator try again', async () => {
    const never: Answer = (_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)));
    const { services: s } = services(never, 150);
    signIn(s);
    expect(byTestId('login-submit')?.textContent).toBe('Signing in…');
    await until(() => (byTestId('login-error')?.textContent ?? '') !== '');
    expect(byTestId('login-error')?.textContent).toContain('did not answer in time');
    expect((byTestId('login-submit') as HTMLButtonElement).disabled).toBe(false);
  });

  it('tells a wrong password apart from an unreachable cloud', async () => {
    const { services: wrong } = services(() => json({ error: 'invalid credentials' }, 401));
    signIn(wrong);
    await until(() => (byTestId('login-error')?.textContent ?? '') !== '');
    expect(byTestId('login-error')?.textContent).toBe('Wrong e-mail or password.');

    act(() => root.unmount());
    root = createRoot(host);
    const { services: down } = services(() => Promise.reject(new TypeError('Failed to fetch')));
    signIn(down);
    await until(() => (byTestId('login-error')?.textContent ?? '') !== '');
    expect(byTestId('login-error')?.textContent).toContain('cannot be reached');
  });

  it('asks a person whose password an admin set to choose their own before the console opens', async () => {
    const sent: Array<{ authorization: string | null; body: unknown }> = [];
    const { services: s } = services(
      () => json({ mustChangePassword: true, accessToken: 'restricted', expiresAt: Date.now() + 600_000, user: USER }),
      8_000,
      (_url, init) => {
        sent.push({ authorization: new Headers(init?.headers).get('authorization'), body: JSON.parse(String(init?.body)) });
        return json({ accessToken: 'a', refreshToken: 'r', expiresAt: Date.now() + 900_000, user: USER });
      },
    );
    signIn(s);
    await until(() => !!byTestId('password-form'));
    expect(host.querySelector('#password-title')?.textContent).toBe('Choose your own password');
    // Nothing of a session exists yet: no shell, nothing stored.
    expect(s.session.get()).toBeUndefined();
    expect(byTestId('current-user')).toBeNull();

    const submitWith = async (next: string, repeat: string) => {
      act(() => {
        type('password-new', next);
        type('password-repeat', repeat);
      });
      act(() => (byTestId('password-form') as HTMLFormElement).requestSubmit());
      await act(() => new Promise((r) => setTimeout(r, 5)));
    };
    await submitWith('short', 'short');
    expect(byTestId('password-error')?.textContent).toContain('at least 12');
    await submitWith('my-own-password-1', 'my-own-password-2');
    expect(byTestId('password-error')?.textContent).toBe('The two new passwords differ.');
    await submitWith('demo-pass-1234', 'demo-pass-1234');
    expect(byTestId('password-error')?.textContent).toContain('other than the one the administrator set');
    expect(sent).toEqual([]);

    await submitWith('my-own-password-1', 'my-own-password-1');
    await until(() => !!byTestId('current-user'));
    expect(sent).toEqual([{ authorization: 'Bearer restricted', body: { currentPassword: 'demo-pass-1234', newPassword: 'my-own-password-1' } }]);
    expect(s.session.get()?.refreshToken).toBe('r');
  });

  it('shows the password change in Korean', async () => {
    window.localStorage.setItem('cr.settings', JSON.stringify({ lang: 'ko' }));
    const { services: s } = services(() => json({ mustChangePassword: true, accessToken: 'restricted', user: USER }));
    signIn(s);
    await until(() => !!byTestId('password-form'));
    expect(host.querySelector('#password-title')?.textContent).toBe('새 비밀번호 설정');
    expect(byTestId('password-submit')?.textContent).toBe('저장하고 계속');
  });
});
