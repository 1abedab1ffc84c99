import { MINUTE_MS } from '@cr/shared';
import type { ConnectionSnapshot } from '../../data/reachability';

export type BannerState =
  | { kind: 'ok' }
  | { kind: 'connecting' }
  | { kind: 'offline'; minutesOld: number | undefined }
  | { kind: 'lan'; siteIds: string[]; minutesOld: number | undefined }
  | { kind: 'reconnected'; merged: number };

/** How long "reconnected, merged N changes" stays on screen. */
export const RECONNECTED_NOTE_MS = 15_000;

/**
 * What the connection banner says. Never blank: when the cloud is away the console says so and how
 * old the shown state is; on a site LAN it says it works through the edge.
 */
export function bannerState(c: ConnectionSnapshot, now: number): BannerState {
  const minutesOld = c.cloud.lastOkAt ? Math.max(0, Math.floor((now - c.cloud.lastOkAt) / MINUTE_MS)) : undefined;
  if (c.cloud.reachable === false) {
    const lanSites = Object.entries(c.edges)
      .filter(([, e]) => e.reachable === true)
      .map(([id]) => id)
      .sort();
    return lanSites.length > 0 ? { kind: 'lan', siteIds: lanSites, minutesOld } : { kind: 'offline', minutesOld };
  }
  if (c.cloud.reachable === undefined) return { kind: 'connecting' };
  if (c.lastReconnect && now - c.lastReconnect.at < RECONNECTED_NOTE_MS) return { kind: 'reconnected', merged: c.lastReconnect.mergedChanges };
  return { kind: 'ok' };
}
