import type { RolloutSignals, StagedRollout, StopWhen } from '../../store/policy-rollouts-store';

/** The first stage's limits when the request leaves one out. */
export const DEFAULT_STOP_WHEN: StopWhen = { maxFailedApplies: 0, maxDeniedRate: 0.3, maxNewAlerts: 5 };

/** Fewer swipes than this say nothing about a denied rate: the rate is not judged below it. */
export const MIN_SWIPES_FOR_RATE = 10;

/** How one first site answered the rollout's version. */
export interface FirstSiteOutcome {
  siteId: string;
  outcome: 'applied' | 'refused' | 'pending';
  /** the edge's reason for refusing */
  error?: string;
}

/** What the first sites showed since the stage started. */
export interface FirstStageObservation {
  sites: FirstSiteOutcome[];
  deniedSwipes: number;
  swipes: number;
  newAlerts: number;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** Why the signals say stop, or undefined while they are healthy. */
export function degraded(signals: RolloutSignals, stopWhen: StopWhen, sites: readonly FirstSiteOutcome[], version: number): string | undefined {
  if (signals.failedApplies > stopWhen.maxFailedApplies) {
    const refused = sites.filter((s) => s.outcome === 'refused').map((s) => (s.error ? `${s.siteId} (${s.error})` : s.siteId));
    return `${refused.join(', ')} refused v${version}: ${signals.failedApplies} failed apply(s), at most ${stopWhen.maxFailedApplies} allowed`;
  }
  if (signals.swipes >= MIN_SWIPES_FOR_RATE && signals.deniedSwipes / signals.swipes > stopWhen.maxDeniedRate) {
    return `denied rate ${pct(signals.deniedSwipes / signals.swipes)} (${signals.deniedSwipes} of ${signals.swipes} swipes) at the first sites is above ${pct(stopWhen.maxDeniedRate)}`;
  }
  if (signals.newAlerts > stopWhen.maxNewAlerts) {
    return `${signals.newAlerts} new alerts at the first sites since the stage started, at most ${stopWhen.maxNewAlerts} allowed`;
  }
  return undefined;
}

/**
 * The next step of a staged rollout, as a pure function of its record and what its first sites
 * showed: stopped as soon as a signal degrades (the rest is then never assigned); once every
 * first site settled (applied, or refused within the limit) the wait of `waitSec` starts; after
 * it, with the signals still healthy, completed with the rest of the sites to assign now.
 */
export function planStagedRollout(r: StagedRollout, obs: FirstStageObservation, now: number): { rollout: StagedRollout; assignRest: string[] } {
  if (r.state !== 'first-stage' && r.state !== 'waiting') return { rollout: r, assignRest: [] };
  const signals: RolloutSignals = {
    failedApplies: obs.sites.filter((s) => s.outcome === 'refused').length,
    deniedSwipes: obs.deniedSwipes,
    swipes: obs.swipes,
    newAlerts: obs.newAlerts,
  };
  const next: StagedRollout = { ...r, signals };
  const why = degraded(signals, r.stopWhen, obs.sites, r.version);
  if (why !== undefined) {
    const { nextStageAt: _n, ...stopped } = next;
    return { rollout: { ...stopped, state: 'stopped', reason: why, updatedAt: now }, assignRest: [] };
  }
  let staged = next;
  if (staged.state === 'first-stage') {
    if (obs.sites.some((s) => s.outcome === 'pending')) return { rollout: changed(r, staged, now), assignRest: [] };
    staged = { ...staged, state: 'waiting', nextStageAt: now + r.waitSec * 1000 };
  }
  if (staged.nextStageAt !== undefined && now >= staged.nextStageAt) {
    const { nextStageAt: _n, ...done } = staged;
    return { rollout: { ...done, state: 'completed', updatedAt: now }, assignRest: r.restSiteIds };
  }
  return { rollout: changed(r, staged, now), assignRest: [] };
}

/** The record to store: `before` itself when nothing changed (so an idle tick writes nothing). */
function changed(before: StagedRollout, after: StagedRollout, now: number): StagedRollout {
  const same = before.state === after.state && before.nextStageAt === after.nextStageAt && JSON.stringify(before.signals) === JSON.stringify(after.signals);
  return same ? before : { ...after, updatedAt: now };
}

/** Cancelled by a person (the stop endpoint): the rest is never assigned. */
export function cancelStaged(r: StagedRollout, reason: string, now: number): StagedRollout {
  if (r.state !== 'first-stage' && r.state !== 'waiting') return r;
  const { nextStageAt: _n, ...rest } = r;
  return { ...rest, state: 'cancelled', reason, updatedAt: now };
}

/**
 * Another rollout took over some of the sites (a rollback): a first site taken over cancels the
 * whole staged rollout (its stage no longer tests the version); rest sites taken over are only
 * left out of it. Undefined when the rollout names none of the sites.
 */
export function withoutSites(r: StagedRollout, siteIds: readonly string[], reason: string, now: number): StagedRollout | undefined {
  if (r.state !== 'first-stage' && r.state !== 'waiting') return undefined;
  const taken = new Set(siteIds);
  if (r.firstSiteIds.some((s) => taken.has(s))) return cancelStaged(r, reason, now);
  const restSiteIds = r.restSiteIds.filter((s) => !taken.has(s));
  return restSiteIds.length === r.restSiteIds.length ? undefined : { ...r, restSiteIds, updatedAt: now };
}
