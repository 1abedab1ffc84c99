import { ApiClient } from '../data/api-client';
import { LanTokenStore } from '../data/lan-token-store';
import { Reachability } from '../data/reachability';
import { SessionStore } from '../data/session-store';
import { SettingsStore } from '../data/settings-store';
import { clearLocalCopies, clearOnSignOut } from '../data/sign-out';
import { platform, type Platform } from '../platform';

/** The console's long-lived services, created once per window. */
export interface Services {
  platform: Platform;
  session: SessionStore;
  reach: Reachability;
  settings: SettingsStore;
  lanTokens: LanTokenStore;
  api: ApiClient;
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export function createServices(): Services {
  const storage = safeStorage();
  const session = new SessionStore(storage, platform.cloudUrl);
  const reach = new Reachability(storage);
  const lanTokens = new LanTokenStore(storage);
  clearOnSignOut(session, lanTokens, () => clearLocalCopies(typeof indexedDB === 'undefined' ? undefined : indexedDB, storage));
  return {
    platform,
    session,
    reach,
    settings: new SettingsStore(storage),
    lanTokens,
    api: new ApiClient(platform.cloudUrl, session, reach),
  };
}
