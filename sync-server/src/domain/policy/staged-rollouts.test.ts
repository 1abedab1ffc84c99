import { describe, expect, it } from 'vitest';
import type { UserPrincipal } from '@cr/shared';
import { openDb } from '../../store/db';
import { AuditStore } from '../../store/audit-store';
import { PoliciesStore } from '../../store/policies-store';
import { PolicyRolloutsStore } from '../../store/policy-rollouts-store';
import { sqlitePort } from '../../store/ports';
import { createCloudLog } from '../../log';
import { StagedPolicyRollouts } from './staged-rollouts';

const admin: UserPrincipal = { kind: 'user', userId: 'u-admin', role: 'tenant-admin', tenantId: 'demo', siteIds: [], name: 'Admin' };

/** Two cloud instances driving the same stored rollouts, each with its own service (and its own per-rollout chains). */
function twoInstances(swipes: { granted: number; denied: number } = { granted: 0, denied: 0 }) {
  const db = openDb(':memory:');
  const policies = sqlitePort(new PoliciesStore(db));
  const rollouts = sqlitePort(new PolicyRolloutsStore(db));
  const audit = sqlitePort(new AuditStore(db));
  const assigned: Array<[string, number]> = [];
  const instance = () =>
    new StagedPolicyRollouts({
      rollouts,
      policies,
      figures: {
        events: { countByType: async () => new Map([['access.granted', swipes.granted], ['access.denied', swipes.denied]]) },
        docs: { read: async () => 0 as never },
      },
      audit,
      log: createCloudLog({ level: 'silent' }),
      assign: async (tenantId, policyId, version, siteIds, record) => {
        for (const siteId of siteIds) {
          await policies.assign(tenantId, siteId, policyId, version);
          assigned.push([siteId, version]);
          await record(siteId);
        }
      },
    });
  return { policies, rollouts, assigned, a: instance(), b: instance() };
}

describe('staged rollouts driven by more than one instance', () => {
  it('assigns the rest exactly once when two instances step the rollout at the same moment', async () => {
    const { policies, a, b, assigned } = twoInstances();
    await policies.create('demo', { id: 'p1', name: 'P', body: {}, by: 'u' });
    const r = await a.start(admin, 'p1', 1, ['gangnam', 'hongdae', 'yeouido'], { firstSiteIds: ['gangnam'], waitSec: 0 }, 'test');
    expect(r.state).toBe('first-stage');
    expect(assigned).toEqual([['gangnam', 1]]);
    await policies.report('demo', 'gangnam', { policyId: 'p1', version: 1, applied: true });
    await Promise.all([a.tick(), b.tick(), a.onReport('demo', 'gangnam'), b.onReport('demo', 'gangnam')]);
    expect(assigned).toEqual([['gangnam', 1], ['hongdae', 1], ['yeouido', 1]]);
    expect((await a.list(admin, 'p1'))[0]).toMatchObject({ state: 'completed' });
  });

  it('stops on the first sites’ denied swipes, and a stop that comes after leaves it stopped', async () => {
    const { policies, a, b, assigned } = twoInstances({ granted: 6, denied: 6 });
    await policies.create('demo', { id: 'p1', name: 'P', body: {}, by: 'u' });
    const r = await a.start(admin, 'p1', 1, ['gangnam', 'hongdae'], { firstSiteIds: ['gangnam'], waitSec: 0 }, 'test');
    expect(r).toMatchObject({ state: 'stopped', reason: 'denied rate 50% (6 of 12 swipes) at the first sites is above 30%', signals: { swipes: 12, deniedSwipes: 6 } });
    await policies.report('demo', 'gangnam', { policyId: 'p1', version: 1, applied: true });
    await b.tick();
    expect(await b.stop(admin, 'p1', r.id, 'test')).toMatchObject({ state: 'stopped' });
    expect(assigned).toEqual([['gangnam', 1]]);
  });
});
