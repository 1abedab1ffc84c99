import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { PolicyApi, SitePolicy } from './policy-api';

/** How often the board asks again: an edge reports `applied` a moment after delivery. */
export const BOARD_REFRESH_MS = 3_000;

/** The tenant's policies and the templates to start from. */
export function usePolicyList(api: PolicyApi) {
  const list = useQuery({ queryKey: ['policies'], queryFn: () => api.list() });
  const templates = useQuery({ queryKey: ['policy-templates'], queryFn: () => api.templates(), staleTime: 300_000 });
  return { list, templates };
}

/**
 * One policy: its versions and latest body, each site's rollout status, what every site of the
 * tenant holds (of any policy), its staged rollouts and its A/B groups. Those of the board are
 * asked for only while it is shown (`board`), and then refresh.
 */
export function usePolicyData(api: PolicyApi, policyId: string | undefined, siteIds: readonly string[], board: boolean) {
  const queries = useQueryClient();
  const on = !!policyId;
  const shown = on && board;
  const detail = useQuery({ queryKey: ['policy', policyId], queryFn: () => api.get(policyId!), enabled: on });
  const status = useQuery({ queryKey: ['policy-status', policyId], queryFn: () => api.status(policyId!), enabled: shown, refetchInterval: BOARD_REFRESH_MS });
  const holdings = useQuery({
    queryKey: ['site-policies', ...siteIds],
    queryFn: async () => new Map<string, SitePolicy | undefined>(await Promise.all(siteIds.map(async (id) => [id, await api.sitePolicy(id)] as const))),
    enabled: shown && siteIds.length > 0,
    refetchInterval: BOARD_REFRESH_MS * 5,
  });
  const rollouts = useQuery({ queryKey: ['policy-rollouts', policyId], queryFn: () => api.rollouts(policyId!), enabled: shown, refetchInterval: BOARD_REFRESH_MS * 2, retry: false });
  const groups = useQuery({ queryKey: ['policy-groups', policyId], queryFn: () => api.groups(policyId!, 7), enabled: shown, staleTime: 30_000, retry: false });
  const refresh = useCallback(async () => {
    await Promise.all(
      [['policies'], ['policy', policyId], ['policy-status', policyId], ['site-policies'], ['policy-rollouts', policyId], ['policy-groups', policyId]].map((queryKey) => queries.invalidateQueries({ queryKey })),
    );
  }, [queries, policyId]);
  return { detail, status, holdings, rollouts, groups, refresh };
}
