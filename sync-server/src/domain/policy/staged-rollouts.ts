import { randomUUID } from 'node:crypto';
import { authorize, type UserPrincipal } from '@cr/shared';
import type { AuditPort, PoliciesPort, PolicyRolloutsPort } from '../../store/ports';
import type { StagedRollout, StopWhen } from '../../store/policy-rollouts-store';
import type { CloudLog } from '../../log';
import { auditAdminChange } from '../audit/admin-audit';
import { notFound } from '../errors';
import { siteActivity, type SiteFigureDeps } from './site-figures';
import { cancelStaged, DEFAULT_STOP_WHEN, planStagedRollout, withoutSites, type FirstSiteOutcome, type FirstStageObservation } from './staged-rollout-plan';

/** The stages of a rollout as the route validated them. */
export interface StagesRequest {
  firstSiteIds: string[];
  waitSec: number;
  stopWhen?: Partial<StopWhen>;
}

export interface StagedRolloutDeps {
  rollouts: PolicyRolloutsPort;
  policies: Pick<PoliciesPort, 'assignment'>;
  figures: Omit<SiteFigureDeps, 'bookings'>;
  audit: AuditPort;
  log: CloudLog;
  /** assigns the version to the sites and sends it to their edges; `audit` records each site */
  assign: (tenantId: string, policyId: string, version: number, siteIds: string[], audit: (siteId: string) => Promise<void>) => Promise<void>;
}

/** The actor of what the rollout does on its own (the rest stage, a stop on a signal). */
const ACTOR = 'system:policy-rollout';

/**
 * Staged policy rollouts: a version goes to the first sites, and only after they all reported it
 * and `waitSec` passed with healthy signals (no refused apply, denied rate, new alerts: see
 * staged-rollout-plan.ts) to the rest. Records live in the store; each step reads one, plans it
 * and writes it back, steps of one rollout one after another in this instance. `tick` (the
 * background job, run by the holder of the `policy-rollouts` lease) resumes them after a restart.
 */
export class StagedPolicyRollouts {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly d: StagedRolloutDeps) {}

  async start(user: UserPrincipal, policyId: string, version: number, siteIds: string[], stages: StagesRequest, source: string): Promise<StagedRollout> {
    const now = Date.now();
    const first = new Set(stages.firstSiteIds);
    const rollout: StagedRollout = {
      id: randomUUID(),
      tenantId: user.tenantId,
      policyId,
      version,
      state: 'first-stage',
      firstSiteIds: stages.firstSiteIds,
      restSiteIds: siteIds.filter((s) => !first.has(s)),
      waitSec: stages.waitSec,
      stopWhen: { ...DEFAULT_STOP_WHEN, ...stages.stopWhen },
      createdAt: now,
      createdBy: user.userId,
      stageStartedAt: now,
      signals: { failedApplies: 0, deniedSwipes: 0, swipes: 0, newAlerts: 0 },
      updatedAt: now,
    };
    // The sites' earlier staged rollouts give way to this one, as they do to a plain rollout.
    await this.takeOver(user.tenantId, siteIds, `superseded by staged rollout ${rollout.id} of v${version}`);
    await this.d.rollouts.insert(rollout);
    await auditAdminChange(this.d.audit, user, {
      action: 'policy.rollout.staged',
      target: `${policyId}/v${version}`,
      source,
      details: { rolloutId: rollout.id, version, firstSiteIds: rollout.firstSiteIds, restSiteIds: rollout.restSiteIds, waitSec: rollout.waitSec, stopWhen: rollout.stopWhen },
    });
    await this.d.assign(user.tenantId, policyId, version, rollout.firstSiteIds, (siteId) =>
      auditAdminChange(this.d.audit, user, { action: 'policy.rollout', target: `${policyId}/v${version}`, siteId, source, details: { version, rolloutId: rollout.id, stage: 'first' } }),
    );
    await this.step(user.tenantId, rollout.id);
    return (await this.d.rollouts.byId(user.tenantId, rollout.id)) ?? rollout;
  }

  /** A policy's staged rollouts, newest first; a scoped reader sees those touching their sites. */
  async list(user: UserPrincipal, policyId: string): Promise<StagedRollout[]> {
    const mayRead = (siteId: string) => authorize(user, user.tenantId, { type: 'site.read', siteId }).allowed;
    return (await this.d.rollouts.ofPolicy(user.tenantId, policyId)).filter((r) => [...r.firstSiteIds, ...r.restSiteIds].some(mayRead));
  }

  /** A person stops a running rollout: it is cancelled, the sites not yet assigned never are. */
  async stop(user: UserPrincipal, policyId: string, rolloutId: string, source: string): Promise<StagedRollout> {
    const r = await this.d.rollouts.byId(user.tenantId, rolloutId);
    if (!r || r.policyId !== policyId) throw notFound('policy rollout');
    const done = await this.update(user.tenantId, rolloutId, async (current) => cancelStaged(current, `stopped by ${user.name ?? user.userId}`, Date.now()));
    if (!done) return (await this.d.rollouts.byId(user.tenantId, rolloutId)) ?? r;
    await auditAdminChange(this.d.audit, user, { action: 'policy.rollout.stop', target: `${policyId}/v${r.version}`, source, details: { rolloutId, restSiteIds: done.after.restSiteIds } });
    return done.after;
  }

  /** Another rollout assigned these sites: the running staged rollouts give them up (staged-rollout-plan.ts `withoutSites`). */
  async takeOver(tenantId: string, siteIds: readonly string[], reason: string): Promise<void> {
    for (const active of await this.d.rollouts.activeOfTenant(tenantId)) {
      const done = await this.update(tenantId, active.id, async (r) => withoutSites(r, siteIds, reason, Date.now()) ?? r);
      if (done?.after.state === 'cancelled') this.d.log.info({ tenantId }, `policy rollout ${active.id}: cancelled (${reason})`);
    }
  }

  /** A site's edge reported a version: the rollouts it is a first site of move on at once. */
  async onReport(tenantId: string, siteId: string): Promise<void> {
    for (const r of await this.d.rollouts.activeOfTenant(tenantId)) if (r.firstSiteIds.includes(siteId)) await this.step(tenantId, r.id);
  }

  /** Resumes every running staged rollout one step (the background job). */
  async tick(): Promise<void> {
    for (const r of await this.d.rollouts.active()) await this.step(r.tenantId, r.id);
  }

  private async step(tenantId: string, id: string): Promise<void> {
    let assignRest: string[] = [];
    const done = await this.update(tenantId, id, async (r) => {
      const now = Date.now();
      const plan = planStagedRollout(r, await this.observe(r, now), now);
      assignRest = plan.assignRest;
      return plan.rollout;
    });
    if (!done) return;
    const { before: r, after: rollout } = done;
    if (rollout.state !== r.state) this.d.log.info({ tenantId }, `policy rollout ${r.id}: ${rollout.state}${rollout.reason ? ` (${rollout.reason})` : ''}`);
    if (rollout.state === 'stopped') {
      await this.d.audit.append(tenantId, { actor: ACTOR, action: 'policy.rollout.stopped', target: `${r.policyId}/v${r.version}`, result: 'stopped', source: 'policy-rollout', details: { rolloutId: r.id, reason: rollout.reason, signals: rollout.signals } });
    }
    // Only the step whose write won assigns the rest: however many instances step it, the rest is assigned once.
    if (assignRest.length > 0) {
      await this.d.assign(tenantId, r.policyId, r.version, assignRest, async (siteId) => {
        await this.d.audit.append(tenantId, { actor: ACTOR, action: 'policy.rollout', target: `${r.policyId}/v${r.version}`, result: 'ok', siteId, source: 'policy-rollout', details: { version: r.version, rolloutId: r.id, stage: 'rest', signals: rollout.signals } });
      });
    }
  }

  /**
   * Reads the rollout, lets `change` make the next record and writes it if nobody else wrote in
   * between (read again and retried otherwise). Undefined when it is gone, ended, or unchanged.
   */
  private update(tenantId: string, id: string, change: (r: StagedRollout) => Promise<StagedRollout>): Promise<{ before: StagedRollout; after: StagedRollout } | undefined> {
    return this.serially(id, async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const before = await this.d.rollouts.byId(tenantId, id);
        if (!before || (before.state !== 'first-stage' && before.state !== 'waiting')) return undefined;
        const next = await change(before);
        if (next === before) return undefined;
        // Strictly later than what was read, so a write in the same millisecond still tells the two apart.
        const after = { ...next, updatedAt: Math.max(next.updatedAt, before.updatedAt + 1) };
        if (await this.d.rollouts.save(after, before.updatedAt)) return { before, after };
      }
      this.d.log.warn({ tenantId }, `policy rollout ${id}: kept changing under this step, left for the next one`);
      return undefined;
    });
  }

  /** How each first site answered the version, and its swipes and alerts since the stage started. */
  private async observe(r: StagedRollout, now: number): Promise<FirstStageObservation> {
    const sites: FirstSiteOutcome[] = [];
    let deniedSwipes = 0;
    let swipes = 0;
    let newAlerts = 0;
    for (const siteId of r.firstSiteIds) {
      const a = await this.d.policies.assignment(r.tenantId, siteId);
      const ours = a !== undefined && a.policyId === r.policyId && a.version === r.version;
      const outcome = ours && a.status === 'applied' ? 'applied' : ours && a.status === 'failed' ? 'refused' : 'pending';
      sites.push({ siteId, outcome, ...(outcome === 'refused' && a?.error ? { error: a.error } : {}) });
      const act = await siteActivity(this.d.figures, r.tenantId, siteId, r.stageStartedAt, now + 1);
      deniedSwipes += act.deniedSwipes;
      swipes += act.swipes;
      newAlerts += act.alerts;
    }
    return { sites, deniedSwipes, swipes, newAlerts };
  }

  private serially<T>(id: string, task: () => Promise<T>): Promise<T> {
    const run = (this.chains.get(id) ?? Promise.resolve()).catch(() => undefined).then(task);
    this.chains.set(id, run);
    void run.finally(() => this.chains.get(id) === run && this.chains.delete(id)).catch(() => undefined);
    return run;
  }
}
