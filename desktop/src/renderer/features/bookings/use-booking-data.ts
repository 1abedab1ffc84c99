import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { BookingApi } from './booking-api';

/** How often the day's bookings are fetched again (check-ins and no-shows come from the edge). */
export const BOOKING_REFRESH_MS = 10_000;

/** The resources of a site, its bookings over [from, to) refreshed every 10 s, and members to pick from. */
export function useBookingData(api: BookingApi, siteId: string | undefined, day: { from: number; to: number } | undefined, loadMembers: boolean) {
  const queries = useQueryClient();
  const resources = useQuery({ queryKey: ['booking-resources', siteId], queryFn: () => api.resources(siteId!), enabled: !!siteId, staleTime: 60_000 });
  const bookings = useQuery({
    queryKey: ['bookings', siteId, day?.from, day?.to],
    queryFn: () => api.bookings(siteId!, day!),
    enabled: !!siteId && !!day,
    refetchInterval: BOOKING_REFRESH_MS,
  });
  const members = useQuery({ queryKey: ['booking-members'], queryFn: () => api.members(), enabled: loadMembers, staleTime: 60_000, retry: false });
  const refresh = useCallback(() => queries.invalidateQueries({ queryKey: ['bookings', siteId] }), [queries, siteId]);
  return { resources, bookings, members: members.data ?? [], refresh };
}

/** The current time, ticking every `everyMs` (the timeline's "now" line). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
