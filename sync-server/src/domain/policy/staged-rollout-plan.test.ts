import { describe, expect, it } from 'vitest';
import type { StagedRollout } from '../../store/policy-rollouts-store';
import { cancelStaged, DEFAULT_STOP_WHEN, MIN_SWIPES_FOR_RATE, planStagedRollout, withoutSites, type FirstStageObservation } from './staged-rollout-plan';

const T0 = 1_800_000_000_000;
const rollout = (over: Partial<StagedRollout> = {}): StagedRollout => ({
  id: 'r1',
  tenantId: 'demo',
  policyId: 'p1',
  version: 2,
  state: 'first-stage',
  firstSiteIds: ['gangnam'],
  restSiteIds: ['hongdae', 'yeouido'],
  waitSec: 600,
  stopWhen: DEFAULT_STOP_WHEN,
  createdAt: T0,
  createdBy: 'admin',
  stageStartedAt: T0,
  signals: { failedApplies: 0, deniedSwipes: 0, swipes: 0, newAlerts: 0 },
  updatedAt: T0,
  ...over,
});
const seen = (outcome: 'applied' | 'refused' | 'pending', over: Partial<FirstStageObservation> = {}): FirstStageObservation => ({
  sites: [{ siteId: 'gangnam', outcome, ...(outcome === 'refused' ? { error: 'body.openingHours.mon: Expected array' } : {}) }],
  deniedSwipes: 0,
  swipes: 0,
  newAlerts: 0,
  ...over,
});

describe('planStagedRollout', () => {
  it('waits while a first site has not reported the version', () => {
    const r = rollout();
    const { rollout: next, assignRest } = planStagedRollout(r, seen('pending'), T0 + 5_000);
    expect(next).toBe(r);
    expect(assignRest).toEqual([]);
  });

  it('stops on a refused apply, naming the site and the edge error, and never assigns the rest', () => {
    const { rollout: next, assignRest } = planStagedRollout(rollout(), seen('refused'), T0 + 5_000);
    expect(next.state).toBe('stopped');
    expect(next.reason).toContain('gangnam (body.openingHours.mon: Expected array) refused v2');
    expect(next.signals.failedApplies).toBe(1);
    expect(assignRest).toEqual([]);
    // Later ticks, however healthy, leave a stopped rollout as it is.
    const later = planStagedRollout(next, seen('applied'), T0 + 3_600_000);
    expect(later).toEqual({ rollout: next, assignRest: [] });
  });

  it('tolerates refusals up to maxFailedApplies', () => {
    const r = rollout({ stopWhen: { ...DEFAULT_STOP_WHEN, maxFailedApplies: 1 }, waitSec: 0 });
    const { rollout: next, assignRest } = planStagedRollout(r, seen('refused'), T0 + 1_000);
    expect(next.state).toBe('completed');
    expect(assignRest).toEqual(['hongdae', 'yeouido']);
  });

  it('stops on a denied rate above the limit, once there are enough swipes to judge', () => {
    const few = planStagedRollout(rollout(), seen('applied', { swipes: MIN_SWIPES_FOR_RATE - 1, deniedSwipes: MIN_SWIPES_FOR_RATE - 1 }), T0 + 1_000);
    expect(few.rollout.state).toBe('waiting');
    const { rollout: next, assignRest } = planStagedRollout(few.rollout, seen('applied', { swipes: 20, deniedSwipes: 7 }), T0 + 2_000);
    expect(next.state).toBe('stopped');
    expect(next.reason).toBe('denied rate 35% (7 of 20 swipes) at the first sites is above 30%');
    expect(next.nextStageAt).toBeUndefined();
    expect(assignRest).toEqual([]);
    // At exactly the limit it goes on.
    expect(planStagedRollout(few.rollout, seen('applied', { swipes: 20, deniedSwipes: 6 }), T0 + 2_000).rollout.state).toBe('waiting');
  });

  it('stops on more new alerts than allowed', () => {
    const { rollout: next } = planStagedRollout(rollout(), seen('applied', { newAlerts: 6 }), T0 + 1_000);
    expect(next).toMatchObject({ state: 'stopped', reason: '6 new alerts at the first sites since the stage started, at most 5 allowed' });
    expect(planStagedRollout(rollout(), seen('applied', { newAlerts: 5 }), T0 + 1_000).rollout.state).toBe('waiting');
  });

  it('proceeds to the rest only after waitSec from the moment every first site applied, when healthy', () => {
    const applied = planStagedRollout(rollout(), seen('applied', { swipes: 12, deniedSwipes: 1 }), T0 + 60_000);
    expect(applied.rollout).toMatchObject({ state: 'waiting', nextStageAt: T0 + 60_000 + 600_000, signals: { swipes: 12, deniedSwipes: 1 } });
    expect(applied.assignRest).toEqual([]);
    const during = planStagedRollout(applied.rollout, seen('applied', { swipes: 12, deniedSwipes: 1 }), T0 + 600_000);
    expect(during.rollout).toBe(applied.rollout);
    expect(during.assignRest).toEqual([]);
    const after = planStagedRollout(applied.rollout, seen('applied', { swipes: 15, deniedSwipes: 1 }), T0 + 660_000);
    expect(after.rollout).toMatchObject({ state: 'completed', signals: { swipes: 15 } });
    expect(after.rollout.nextStageAt).toBeUndefined();
    expect(after.assignRest).toEqual(['hongdae', 'yeouido']);
    expect(planStagedRollout(after.rollout, seen('applied'), T0 + 700_000).assignRest).toEqual([]);
  });

  it('with waitSec 0 assigns the rest as soon as the first sites applied', () => {
    const { rollout: next, assignRest } = planStagedRollout(rollout({ waitSec: 0 }), seen('applied'), T0 + 1_000);
    expect(next.state).toBe('completed');
    expect(assignRest).toEqual(['hongdae', 'yeouido']);
  });

  it('a degradation during the wait stops it before the rest is assigned', () => {
    const waiting = planStagedRollout(rollout(), seen('applied'), T0 + 1_000).rollout;
    const { rollout: next, assignRest } = planStagedRollout(waiting, seen('applied', { newAlerts: 9 }), T0 + 601_000 + 1_000);
    expect(next.state).toBe('stopped');
    expect(assignRest).toEqual([]);
  });
});

describe('cancelling and taking over sites', () => {
  it('a person cancels a running rollout; an ended one stays as it is', () => {
    expect(cancelStaged(rollout({ state: 'waiting', nextStageAt: T0 + 1 }), 'stopped by Admin', T0 + 5)).toMatchObject({ state: 'cancelled', reason: 'stopped by Admin', updatedAt: T0 + 5 });
    const done = rollout({ state: 'completed' });
    expect(cancelStaged(done, 'x', T0)).toBe(done);
  });

  it('a rollback of a first site cancels the rollout; of rest sites leaves them out', () => {
    expect(withoutSites(rollout(), ['gangnam'], 'rolled back', T0 + 1)).toMatchObject({ state: 'cancelled', reason: 'rolled back' });
    expect(withoutSites(rollout(), ['hongdae'], 'rolled back', T0 + 1)).toMatchObject({ state: 'first-stage', restSiteIds: ['yeouido'] });
    expect(withoutSites(rollout(), ['other'], 'rolled back', T0 + 1)).toBeUndefined();
    expect(withoutSites(rollout({ state: 'stopped' }), ['gangnam'], 'rolled back', T0 + 1)).toBeUndefined();
  });
});
