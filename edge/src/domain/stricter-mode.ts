import type { SiteMode, SiteRecord } from '@cr/shared';

/** How far each mode restricts normal use; a fire's fail-safe unlock outranks everything. */
const RANK: Record<SiteMode, number> = { normal: 0, secure: 1, lockdown: 2, 'emergency-unlock': 3 };

/**
 * The stricter of two views of a site's mode (the edge's own and the cloud's record): a fire in
 * either is a fire, and the higher-ranked mode wins. A replacement gateway that starts empty thus
 * never opens a site the cloud knew to be locked down or burning.
 */
export function stricterMode(own: SiteRecord, other: SiteRecord): SiteRecord {
  const fireActive = own.fireActive || other.fireActive;
  if (fireActive) return { mode: 'emergency-unlock', fireActive };
  return { mode: RANK[other.mode] > RANK[own.mode] ? other.mode : own.mode, fireActive };
}

/** Whether two views name the same state. */
export function sameMode(a: SiteRecord, b: SiteRecord): boolean {
  return a.mode === b.mode && a.fireActive === b.fireActive;
}
