import { useQuery, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';

function readCache<T>(key: string): { data: T; at: number } | undefined {
  try {
    const raw = window.localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as { data: T; at: number }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A React Query whose last good answer is also kept in localStorage, so a console opened without
 * the cloud still shows the last known list instead of an empty screen.
 */
export function useCachedQuery<T>(opts: { queryKey: QueryKey; storageKey: string; queryFn: () => Promise<T>; refetchInterval?: number; enabled?: boolean }) {
  const cached = readCache<T>(opts.storageKey);
  const q = useQuery({
    queryKey: opts.queryKey,
    queryFn: opts.queryFn,
    refetchInterval: opts.refetchInterval,
    enabled: opts.enabled,
    initialData: cached?.data,
    initialDataUpdatedAt: cached?.at ?? 0,
    staleTime: 5_000,
  });
  useEffect(() => {
    if (q.isSuccess && q.dataUpdatedAt > (cached?.at ?? 0)) {
      try {
        window.localStorage.setItem(opts.storageKey, JSON.stringify({ data: q.data, at: q.dataUpdatedAt }));
      } catch {
        // storage full: the in-memory answer still shows
      }
    }
  }, [q.isSuccess, q.data, q.dataUpdatedAt, opts.storageKey, cached?.at]);
  return q;
}
