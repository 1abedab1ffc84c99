import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { PolicyRolloutsStore, type StagedRollout } from '../policy-rollouts-store';
import { PgPolicyRolloutsStore } from '../postgres/pg-policy-rollouts-store';
import { sqlitePort, type PolicyRolloutsPort } from '../ports';

const storeOf = (b: Backend): PolicyRolloutsPort => (b.kind === 'sqlite' ? sqlitePort(new PolicyRolloutsStore(b.db)) : new PgPolicyRolloutsStore(b.pg));

const rollout = (id: string, over: Partial<StagedRollout> = {}): StagedRollout => ({
  id,
  tenantId: 't1',
  policyId: 'p1',
  version: 2,
  state: 'first-stage',
  firstSiteIds: ['gangnam'],
  restSiteIds: ['hongdae'],
  waitSec: 600,
  stopWhen: { maxFailedApplies: 0, maxDeniedRate: 0.3, maxNewAlerts: 5 },
  createdAt: 100,
  createdBy: 'u1',
  stageStartedAt: 100,
  signals: { failedApplies: 0, deniedSwipes: 0, swipes: 0, newAlerts: 0 },
  updatedAt: 100,
  ...over,
});

describeBackends('policy rollouts store', (current) => {
  it('keeps a staged rollout whole, and follows its state only over the record last read', async () => {
    const s = storeOf(current());
    const r = rollout('r1');
    await s.insert(r);
    expect(await s.byId('t1', 'r1')).toEqual(r);
    expect(await s.byId('t2', 'r1')).toBeUndefined();
    const waiting = { ...r, state: 'waiting' as const, nextStageAt: 700, signals: { failedApplies: 0, deniedSwipes: 2, swipes: 11, newAlerts: 1 }, updatedAt: 110 };
    expect(await s.save(waiting, 100)).toBe(true);
    expect(await s.byId('t1', 'r1')).toEqual(waiting);
    // A write over a record that changed since it was read is refused, and changes nothing.
    expect(await s.save({ ...r, state: 'completed', updatedAt: 111 }, 100)).toBe(false);
    expect(await s.save({ ...waiting, tenantId: 't2', updatedAt: 111 }, 110)).toBe(false);
    expect(await s.byId('t1', 'r1')).toEqual(waiting);
    expect((await s.active()).map((x) => x.id)).toEqual(['r1']);
    expect(await s.save({ ...waiting, state: 'stopped', reason: 'denied rate 40%', updatedAt: 120 }, 110)).toBe(true);
    expect(await s.byId('t1', 'r1')).toMatchObject({ state: 'stopped', reason: 'denied rate 40%' });
    expect(await s.active()).toEqual([]);
  });

  it('lists a policy’s rollouts newest first, and the running ones per tenant', async () => {
    const s = storeOf(current());
    await s.insert(rollout('a', { createdAt: 100 }));
    await s.insert(rollout('b', { createdAt: 200, state: 'completed' }));
    await s.insert(rollout('c', { createdAt: 300, policyId: 'p2', state: 'waiting' }));
    await s.insert(rollout('d', { tenantId: 't2', createdAt: 400 }));
    expect((await s.ofPolicy('t1', 'p1')).map((r) => r.id)).toEqual(['b', 'a']);
    expect((await s.ofPolicy('t2', 'p1')).map((r) => r.id)).toEqual(['d']);
    expect((await s.activeOfTenant('t1')).map((r) => r.id)).toEqual(['a', 'c']);
    expect((await s.active()).map((r) => r.id).sort()).toEqual(['a', 'c', 'd']);
  });
});
