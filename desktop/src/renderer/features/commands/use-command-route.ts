import { useServices, useStore } from '../../app/services-context';
import type { User } from '../../data/api-types';
import { chooseCommandRoute } from './command-route';

/** The route a command for `siteId` would take right now. */
export function useCommandRoute(siteId: string, user: User) {
  const { reach, settings, lanTokens } = useServices();
  const snapshot = useStore(reach);
  const { edges, preferLan } = useStore(settings);
  useStore(lanTokens);
  return chooseCommandRoute({
    cloudReachable: snapshot.cloud.reachable,
    preferLan,
    edgeUrl: edges[siteId],
    edgeReachable: snapshot.edges[siteId]?.reachable,
    lanToken: lanTokens.validFor(user.id),
  });
}
