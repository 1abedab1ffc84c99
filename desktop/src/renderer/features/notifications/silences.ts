import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useServices } from '../../app/services-context';
import { notificationsApi, type SilenceRow } from './notifications-api';

/** What a silence can cover of an alert. */
export interface Silenceable {
  siteId: string;
  deviceId?: string | undefined;
  type: string;
  raisedAt: number;
}

/**
 * The silence that keeps an alert's notifications quiet: same site, its device (or any), its type
 * (or any), raised while the silence was active. The one ending last wins.
 */
export function silenceFor(alert: Silenceable, silences: readonly SilenceRow[] | undefined): SilenceRow | undefined {
  let best: SilenceRow | undefined;
  for (const s of silences ?? []) {
    const until = Math.min(s.endsAt, s.endedAt ?? Infinity);
    if (s.siteId !== alert.siteId || alert.raisedAt < s.startsAt || alert.raisedAt >= until) continue;
    if (s.deviceId && s.deviceId !== alert.deviceId) continue;
    if (s.types?.length && !s.types.includes(alert.type)) continue;
    if (!best || until > Math.min(best.endsAt, best.endedAt ?? Infinity)) best = s;
  }
  return best;
}

export const SILENCES_KEY = ['notifications', 'silences'] as const;
export const SILENCES_REFRESH_MS = 30_000;

/** The silences list, fetched once per 30 s for the whole console (every caller shares the one query). */
export function useSilences(enabled: boolean) {
  const { api } = useServices();
  const n = useMemo(() => notificationsApi(api), [api]);
  return useQuery({
    queryKey: SILENCES_KEY,
    queryFn: () => n.silences(),
    enabled,
    refetchInterval: SILENCES_REFRESH_MS,
    retry: false,
  });
}
