import type { Assignment, AssignmentStatus, SitePolicy, StagedRollout } from './policy-api';

/** A site of the tenant as the rollout board needs it. */
export interface BoardSite {
  id: string;
  name: string;
}

/** One row of the rollout board: what the site is assigned, what its edge applied, and how far it got. */
export interface BoardRow {
  siteId: string;
  siteName: string;
  /** `this`: assigned a version of the open policy; `other`: of another policy; `none`: no policy (always open) */
  holds: 'this' | 'other' | 'none';
  /** the other policy's id, when `holds` is `other` */
  otherPolicyId?: string;
  version?: number;
  status?: AssignmentStatus;
  appliedVersion?: number;
  /** the edge's reason, when it refused the version */
  error?: string;
  /** the site's stage in the open policy's running staged rollout */
  stage?: 'first' | 'rest';
}

const RUNNING = new Set(['first-stage', 'waiting']);

/**
 * Every site of the tenant, by name, with the open policy's assignment when it has one, else what
 * the site holds of another policy. A site in a running staged rollout is marked with its stage.
 */
export function boardRows(
  sites: readonly BoardSite[],
  policyId: string,
  assignments: readonly Assignment[],
  sitePolicies: ReadonlyMap<string, SitePolicy | undefined>,
  rollouts: readonly StagedRollout[] = [],
): BoardRow[] {
  const mine = new Map(assignments.filter((a) => a.policyId === policyId).map((a) => [a.siteId, a]));
  const running = rollouts.filter((r) => RUNNING.has(r.state));
  const stageOf = (siteId: string): BoardRow['stage'] =>
    running.some((r) => r.firstSiteIds.includes(siteId)) ? 'first' : running.some((r) => r.restSiteIds.includes(siteId)) ? 'rest' : undefined;
  const known = new Map(sites.map((s) => [s.id, s]));
  // A site the cloud assigns but the console does not list (yet) still shows, by its id.
  for (const a of mine.values()) if (!known.has(a.siteId)) known.set(a.siteId, { id: a.siteId, name: a.siteId });
  const rows = [...known.values()].map((s): BoardRow => {
    const stage = stageOf(s.id);
    const base = { siteId: s.id, siteName: s.name, ...(stage ? { stage } : {}) };
    const a = mine.get(s.id);
    if (a) return { ...base, holds: 'this', version: a.version, status: a.status, ...(a.appliedVersion !== undefined ? { appliedVersion: a.appliedVersion } : {}), ...(a.error ? { error: a.error } : {}) };
    const other = sitePolicies.get(s.id);
    if (other && other.policyId !== policyId) return { ...base, holds: 'other', otherPolicyId: other.policyId, version: other.version, ...(other.status ? { status: other.status } : {}) };
    return { ...base, holds: 'none' };
  });
  return rows.sort((a, b) => a.siteName.localeCompare(b.siteName) || a.siteId.localeCompare(b.siteId));
}

/**
 * The one-click rollback: the sites on the open policy's newest assigned version go back to the
 * version before it. Undefined when no site holds a version with one before it.
 */
export function rollbackPlan(rows: readonly BoardRow[], versions: readonly number[]): { from: number; to: number; siteIds: string[] } | undefined {
  const held = rows.filter((r) => r.holds === 'this' && r.version !== undefined);
  if (held.length === 0) return undefined;
  const from = Math.max(...held.map((r) => r.version!));
  const older = versions.filter((v) => v < from);
  if (older.length === 0) return undefined;
  const to = Math.max(...older);
  return { from, to, siteIds: held.filter((r) => r.version === from).map((r) => r.siteId) };
}

/** How many sites of the open policy sit at each status: the board's summary line. */
export function statusCounts(rows: readonly BoardRow[]): Record<AssignmentStatus, number> {
  const out: Record<AssignmentStatus, number> = { assigned: 0, delivered: 0, applied: 0, failed: 0 };
  for (const r of rows) if (r.holds === 'this' && r.status) out[r.status] += 1;
  return out;
}
