import { describe, expect, it } from 'vitest';
import { ApiClient } from './api-client';
import { LanTokenStore } from './lan-token-store';
import { Reachability } from './reachability';
import { SessionStore } from './session-store';
import { clearLocalCopies, clearOnSignOut, localCopyPrefix, signOut } from './sign-out';

const CLOUD = 'http://cloud.test';
const USER = { id: 'u1', role: 'site-manager' as const, tenantId: 'demo', siteIds: ['gangnam'], email: 'm@demo.local' };

/** localStorage as a browser has it. */
class MemoryStorage implements Storage {
  private readonly m = new Map<string, string>();
  get length(): number {
    return this.m.size;
  }
  clear(): void {
    this.m.clear();
  }
  getItem(k: string): string | null {
    return this.m.get(k) ?? null;
  }
  key(i: number): string | null {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string): void {
    this.m.delete(k);
  }
  setItem(k: string, v: string): void {
    this.m.set(k, v);
  }
  keys(): string[] {
    return [...this.m.keys()];
  }
}

/** IndexedDB with the databases y-indexeddb left: the local copies of this user's documents, and another app's. */
function fakeIndexedDb(names: string[]) {
  const dbs = new Set(names);
  return {
    dbs,
    databases: async () => [...dbs].map((name) => ({ name, version: 1 })),
    deleteDatabase(name: string) {
      const req = {} as IDBOpenDBRequest;
      setTimeout(() => {
        dbs.delete(name);
        req.onsuccess?.call(req, new Event('success'));
      }, 1);
      return req;
    },
  };
}

function consoleOf(storage: Storage) {
  const bodies: Array<{ path: string; body: unknown }> = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    bodies.push({ path: new URL(String(input)).pathname, body: JSON.parse(String(init?.body ?? 'null')) });
    return new Response(null, { status: 204 });
  }) as typeof fetch;
  const session = new SessionStore(storage, CLOUD);
  const lanTokens = new LanTokenStore(storage);
  const api = new ApiClient(CLOUD, session, new Reachability(undefined), fetchImpl);
  return { session, lanTokens, api, bodies };
}

describe('sign-out leaves nothing of the last person behind', () => {
  it('clears the LAN token, revokes it at the cloud, and deletes every local copy of site documents', async () => {
    const storage = new MemoryStorage();
    const prefix = localCopyPrefix('cloud.test', 'demo', 'u1');
    const idb = fakeIndexedDb([`${prefix}:site:demo:gangnam`, `${prefix}:tenant:demo`, 'another-app']);
    const c = consoleOf(storage);
    clearOnSignOut(c.session, c.lanTokens, () => clearLocalCopies(idb, storage));
    c.session.set({ user: USER, accessToken: 'a', refreshToken: 'refresh-1', cloudUrl: CLOUD });
    c.lanTokens.set({ userId: 'u1', token: 'lan-token-1', expiresAt: Date.now() + 3_600_000 });
    storage.setItem('cr.sites.u1', JSON.stringify({ data: [{ id: 'gangnam' }], at: 1 }));
    storage.setItem('cr.settings', JSON.stringify({ lang: 'ko' }));

    await signOut(c);
    await new Promise((r) => setTimeout(r, 20));

    expect(c.session.get()).toBeUndefined();
    expect(c.lanTokens.get()).toBeUndefined();
    // Gone from disk too: a reload finds neither.
    expect(new LanTokenStore(storage).validFor('u1')).toBeUndefined();
    expect(storage.keys().sort()).toEqual(['cr.settings']);
    expect([...idb.dbs]).toEqual(['another-app']);
    expect(c.bodies).toEqual([
      { path: '/api/v1/auth/logout', body: { refreshToken: 'refresh-1', lanToken: 'lan-token-1' } },
    ]);
  });

  it('also when the cloud ends the session (account disabled): the refused refresh clears everything', async () => {
    const storage = new MemoryStorage();
    const idb = fakeIndexedDb([`${localCopyPrefix('cloud.test', 'demo', 'u1')}:site:demo:gangnam`]);
    const session = new SessionStore(storage, CLOUD);
    const lanTokens = new LanTokenStore(storage);
    const refused = (async () =>
      new Response(JSON.stringify({ error: 'unauthorized' }), { status: 401 })) as typeof fetch;
    const api = new ApiClient(CLOUD, session, new Reachability(undefined), refused);
    clearOnSignOut(session, lanTokens, () => clearLocalCopies(idb, storage));
    session.set({ user: USER, accessToken: 'a', refreshToken: 'refresh-1', cloudUrl: CLOUD });
    lanTokens.set({ userId: 'u1', token: 'lan-token-1', expiresAt: Date.now() + 3_600_000 });

    expect(await api.refresh()).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(lanTokens.get()).toBeUndefined();
    expect(idb.dbs.size).toBe(0);
  });

  it('a reload while signed in keeps the local copies (offline start shows the last state)', async () => {
    const storage = new MemoryStorage();
    const idb = fakeIndexedDb(['cr:cloud.test:demo:u1:site:demo:gangnam']);
    const c = consoleOf(storage);
    c.session.set({ user: USER, accessToken: 'a', refreshToken: 'refresh-1', cloudUrl: CLOUD });
    const again = consoleOf(storage);
    clearOnSignOut(again.session, again.lanTokens, () => clearLocalCopies(idb, storage));
    again.session.set({ ...again.session.get()!, accessToken: 'b' });
    await new Promise((r) => setTimeout(r, 20));
    expect(idb.dbs.size).toBe(1);
  });
});
