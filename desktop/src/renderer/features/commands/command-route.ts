import type { CommandRoute } from '../../data/api-client';

export interface RouteFacts {
  cloudReachable: boolean | undefined;
  preferLan: boolean;
  /** configured edge address of the site, if any */
  edgeUrl: string | undefined;
  edgeReachable: boolean | undefined;
  lanToken: string | undefined;
}

/**
 * Where a command goes. Through the cloud normally (authorized and audited there); straight to the
 * site's edge on the LAN when the cloud is unreachable or the operator prefers the LAN, and only
 * with a LAN token the edge can verify offline. With neither, the cloud path fails fast and says so.
 */
export function chooseCommandRoute(f: RouteFacts): CommandRoute {
  const lanReady = !!f.edgeUrl && !!f.lanToken && f.edgeReachable !== false;
  if (lanReady && (f.preferLan || f.cloudReachable === false)) return { via: 'lan', edgeUrl: f.edgeUrl!, lanToken: f.lanToken! };
  return { via: 'cloud' };
}
