import { useEffect } from 'react';
import { siteDocName } from '@cr/shared';
import { syncUrlOf, type DocHub } from '../data/doc-hub';
import type { User } from '../data/api-types';
import { useServices, useStore } from './services-context';

const HEALTH_EVERY_MS = 5_000;
const TOKEN_REFRESH_EVERY_MS = 10 * 60_000;

function useInterval(fn: () => void, ms: number, deps: unknown[]): void {
  useEffect(() => {
    fn();
    const t = setInterval(fn, ms);
    return () => clearInterval(t);
  }, deps);
}

/**
 * What runs while someone is signed in: cloud health, access-token refresh before expiry (sync
 * reconnects need a valid token), the LAN token, and the edges configured for site LANs.
 */
export function useBackground(hub: DocHub, user: User): void {
  const { api, reach, settings, lanTokens, session } = useServices();
  const { edges } = useStore(settings);
  const lan = useStore(lanTokens);
  const cloud = useStore(reach).cloud;
  const mayUseLan = user.role === 'hq-operator' || user.role === 'site-manager';

  useInterval(() => void api.health().catch(() => undefined), HEALTH_EVERY_MS, [api]);
  useInterval(() => void (reach.get().cloud.reachable ? api.refresh() : undefined), TOKEN_REFRESH_EVERY_MS, [api]);

  const session$ = useStore(session);
  useEffect(() => {
    if (session$) hub.setToken(session$.accessToken);
  }, [hub, session$]);

  // The LAN token is fetched while the cloud is reachable, so it is at hand when the internet goes.
  const haveEdges = Object.keys(edges).length > 0;
  useEffect(() => {
    if (!mayUseLan || !haveEdges || cloud.reachable !== true || lanTokens.validFor(user.id, Date.now() + 3_600_000)) return;
    api
      .lanToken()
      .then((t) => lanTokens.set({ userId: user.id, token: t.token, expiresAt: t.expiresAt }))
      .catch(() => undefined);
  }, [api, lanTokens, mayUseLan, haveEdges, cloud.reachable, user.id, lan]);

  useEffect(() => {
    const token = lanTokens.validFor(user.id);
    const map = new Map<string, { syncUrl: string; token: string }>();
    if (token && mayUseLan) for (const [siteId, url] of Object.entries(edges)) map.set(siteDocName(user.tenantId, siteId), { syncUrl: syncUrlOf(url), token });
    hub.setEdges(map);
  }, [hub, edges, lan, lanTokens, user.id, user.tenantId, mayUseLan]);

  useEffect(() => {
    for (const siteId of Object.keys(reach.get().edges)) if (!(siteId in edges)) reach.forgetEdge(siteId);
    const probe = (): void => {
      for (const [siteId, url] of Object.entries(edges)) {
        fetch(`${url}/health`, { signal: AbortSignal.timeout(3_000) })
          .then((r) => (r.ok ? reach.edgeOk(siteId) : reach.edgeDown(siteId)))
          .catch(() => reach.edgeDown(siteId));
      }
    };
    probe();
    const t = setInterval(probe, HEALTH_EVERY_MS);
    return () => clearInterval(t);
  }, [edges, reach]);
}
