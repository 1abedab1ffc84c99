import type { PolicyAssignment } from '../../store/policies-store';
import { siteActivity, siteBookings, type SiteFigureDeps } from './site-figures';

/** A version's figures over a period, summed over the sites it is assigned to. */
export interface GroupFigures {
  swipes: number;
  deniedSwipes: number;
  deniedRate: number;
  alerts: number;
  bookings: number;
  noShows: number;
  noShowRate: number;
}

export interface PolicyGroup {
  version: number;
  siteIds: string[];
  figures: GroupFigures;
}

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : 0);

/**
 * The A/B view of a policy: its sites grouped by the version assigned to them, each group with its
 * swipes, denials, alerts, bookings and no-shows over [from, to), so two versions running side by
 * side can be compared. Rates are shares (0…1); no-shows are counted against the settled bookings.
 */
export async function policyGroups(deps: SiteFigureDeps, tenantId: string, assignments: readonly PolicyAssignment[], from: number, to: number): Promise<PolicyGroup[]> {
  const byVersion = new Map<number, string[]>();
  for (const a of assignments) byVersion.set(a.version, [...(byVersion.get(a.version) ?? []), a.siteId]);
  const groups: PolicyGroup[] = [];
  for (const [version, siteIds] of [...byVersion.entries()].sort(([a], [b]) => a - b)) {
    let swipes = 0, deniedSwipes = 0, alerts = 0, bookings = 0, settled = 0, noShows = 0;
    for (const siteId of siteIds) {
      const act = await siteActivity(deps, tenantId, siteId, from, to);
      const b = await siteBookings(deps, tenantId, siteId, from, to);
      swipes += act.swipes;
      deniedSwipes += act.deniedSwipes;
      alerts += act.alerts;
      bookings += b.bookings;
      settled += b.settled;
      noShows += b.noShows;
    }
    groups.push({ version, siteIds: [...siteIds].sort(), figures: { swipes, deniedSwipes, deniedRate: rate(deniedSwipes, swipes), alerts, bookings, noShows, noShowRate: rate(noShows, settled) } });
  }
  return groups;
}
