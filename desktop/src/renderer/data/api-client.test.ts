import { describe, expect, it } from 'vitest';
import { ApiClient } from './api-client';
import { ApiError } from './api-error';
import { Reachability } from './reachability';
import { SessionStore } from './session-store';

const CLOUD = 'http://cloud.test';
const USER = { id: 'u1', role: 'hq-operator' as const, tenantId: 'demo', siteIds: [], email: 'hq@demo.local' };
const json = (body: unknown, status = 200): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

type Sent = { method: string; url: string; authorization: string | null; body: unknown };

/** A console whose cloud answers with `answer`; every request it sent is recorded. */
function consoleWith(answer: (req: Sent) => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = { method: init?.method ?? 'GET', url: String(input), authorization: new Headers(init?.headers).get('authorization'), body: init?.body ? JSON.parse(String(init.body)) : undefined };
    sent.push(req);
    return answer(req);
  }) as typeof fetch;
  const session = new SessionStore(undefined, CLOUD);
  session.set({ user: USER, accessToken: 'access-1', refreshToken: 'refresh-1', cloudUrl: CLOUD });
  const reach = new Reachability(undefined);
  return { api: new ApiClient(CLOUD, session, reach, fetchImpl), session, reach, sent };
}

describe('the typed cloud client', () => {
  it('sends the session token, encodes path parameters and leaves unset filters out of the query', async () => {
    const c = consoleWith(() => json({ items: [{ id: 'e1', type: 'fault', ts: 1 }] }));
    const page = await c.api.events({ siteId: 'a b/c', type: '', from: 5, limit: 50 });
    expect(page.items.map((e) => e.id)).toEqual(['e1']);
    expect(c.sent).toEqual([{ method: 'GET', url: `${CLOUD}/api/v1/sites/a%20b%2Fc/events?from=5&limit=50`, authorization: 'Bearer access-1', body: undefined }]);
    expect(c.reach.get().cloud.reachable).toBe(true);
  });

  it('refreshes once on 401 and repeats the call with the new token', async () => {
    const c = consoleWith((req) => {
      if (req.url.endsWith('/auth/refresh')) return json({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresAt: 1, user: { ...USER, name: 'HQ' } });
      return req.authorization === 'Bearer access-2' ? json({ id: 'c1', status: 'pending' }, 202) : json({ error: 'unauthorized' }, 401);
    });
    const accepted = await c.api.siteMode('gangnam', { mode: 'secure', reason: 'drill' });
    expect(accepted).toEqual({ id: 'c1', status: 'pending' });
    expect(c.sent.map((r) => [r.url.slice(CLOUD.length), r.authorization])).toEqual([
      ['/api/v1/sites/gangnam/mode', 'Bearer access-1'],
      ['/api/v1/auth/refresh', null],
      ['/api/v1/sites/gangnam/mode', 'Bearer access-2'],
    ]);
    expect(c.sent[2]!.body).toEqual({ mode: 'secure', reason: 'drill' });
    expect(c.session.get()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2', user: { name: 'HQ', email: 'hq@demo.local' } });
  });

  it('turns an error answer into the reason a person can act on, and a dead cloud into "unreachable"', async () => {
    const refused = consoleWith(() => json({ error: 'forbidden', message: 'outside your sites' }, 403));
    await expect(refused.api.site('gangnam')).rejects.toMatchObject({ status: 403, message: 'forbidden' });

    const down = consoleWith(() => Promise.reject(new TypeError('fetch failed')));
    const err = await down.api.sites().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).unreachable).toBe(true);
    expect(down.reach.get().cloud.reachable).toBe(false);
  });

  it('does not store a session whose role the console does not know', async () => {
    const c = consoleWith(() => json({ accessToken: 'a', refreshToken: 'r', expiresAt: 1, user: { ...USER, role: 'root' } }));
    c.session.set(undefined);
    await expect(c.api.login('hq@demo.local', 'pw')).rejects.toMatchObject({ status: 502 });
    expect(c.session.get()).toBeUndefined();
  });
});
