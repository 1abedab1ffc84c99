import type { ApiClient } from './api-client';
import type { LanTokenStore } from './lan-token-store';
import type { SessionStore } from './session-store';

/** Every IndexedDB database holding a local copy of a Yjs document starts with this (see localCopyPrefix). */
const LOCAL_COPY_PREFIX = 'cr:';
/** localStorage keys of cached API answers about sites (the last site list of a user). */
const CACHED_SITES_PREFIX = 'cr.sites.';

/** The prefix of a signed-in user's local document copies (DocHub's storagePrefix). */
export function localCopyPrefix(cloudHost: string, tenantId: string, userId: string): string {
  return `${LOCAL_COPY_PREFIX}${cloudHost}:${tenantId}:${userId}`;
}

type Databases = Pick<IDBFactory, 'deleteDatabase'> & { databases?: IDBFactory['databases'] };

function deleted(idb: Databases, name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = idb.deleteDatabase(name);
    // `blocked`: a document still open in this window; the deletion completes as soon as it closes.
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}

/**
 * Deletes every local copy of site (and tenant) documents and the cached site lists: after
 * sign-out, the next person at this console finds nothing of the last one's sites on disk.
 * Returns the names of the databases deleted.
 */
export async function clearLocalCopies(idb: Databases | undefined, storage: Storage | undefined): Promise<string[]> {
  try {
    for (let i = (storage?.length ?? 0) - 1; i >= 0; i--) {
      const key = storage!.key(i);
      if (key?.startsWith(CACHED_SITES_PREFIX)) storage!.removeItem(key);
    }
  } catch {
    // storage disabled: nothing was cached there
  }
  if (!idb?.databases) return [];
  const names = (await idb.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith(LOCAL_COPY_PREFIX));
  await Promise.all(names.map((n) => deleted(idb, n)));
  return names;
}

/**
 * Whenever the session ends — the operator signed out, or the cloud refused the session (account
 * disabled, password changed) — the LAN token and the local copies go with it. Threat: the next
 * person at a shared console opening site documents or a site edge's LAN API with what the last
 * person left behind. Returns the unsubscribe function.
 */
export function clearOnSignOut(
  session: SessionStore,
  lanTokens: LanTokenStore,
  clear: () => Promise<unknown>,
): () => void {
  let signedIn = session.get() !== undefined;
  return session.subscribe(() => {
    const now = session.get() !== undefined;
    if (signedIn && !now) {
      lanTokens.set(undefined);
      void clear().catch(() => undefined);
    }
    signedIn = now;
  });
}

/** Signs out: the cloud ends the session and revokes the LAN token at the edges; clearOnSignOut does the rest. */
export function signOut(s: { api: ApiClient; lanTokens: LanTokenStore }): Promise<void> {
  const lan = s.lanTokens.get()?.token;
  s.lanTokens.set(undefined);
  return s.api.logout(lan);
}
