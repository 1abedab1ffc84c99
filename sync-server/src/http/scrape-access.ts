import { createHash, timingSafeEqual } from 'node:crypto';

/** What one scrape of /metrics may see: the process-level metrics, also the per-site ones, or nothing. */
export type ScrapeAccess = 'process' | 'fleet' | 'refused';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Threat: /metrics answers without a sign-in, and the per-site metrics name every tenant's sites
 * with their mode and fire state. They are served only with `Authorization: Bearer <metrics
 * token>`; without a token configured, or without the header, the scrape gets the process-level
 * metrics only. A wrong token is refused (401) so a misconfigured scraper shows as down rather
 * than silently losing the fleet. Digests are compared in constant time (no length or prefix leak).
 */
export function scrapeAccess(authorization: string | undefined, token: string | undefined): ScrapeAccess {
  if (token === undefined || authorization === undefined) return 'process';
  const m = /^Bearer ([^\s]+)$/i.exec(authorization.trim());
  if (!m) return 'refused';
  return timingSafeEqual(digest(m[1]!), digest(token)) ? 'fleet' : 'refused';
}
