import { formatLocal } from '@cr/shared';

/**
 * "YYYY-MM-DD HH:MM:SS" in the site's zone: the shared minute formatter plus seconds, which do not
 * depend on the zone (every zone in use has whole-minute offsets).
 */
export function formatSiteTime(ts: number, timeZone: string): string {
  const seconds = Math.floor(ts / 1000) % 60;
  return `${formatLocal(ts, timeZone)}:${String((seconds + 60) % 60).padStart(2, '0')}`;
}

/** Event details as short `key=value` pairs (ids that only matter to machines left out). */
export function eventDetails(data: Record<string, unknown> | null | undefined): string {
  if (!data) return '';
  return Object.entries(data)
    .filter(([k]) => k !== 'requestId')
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}
