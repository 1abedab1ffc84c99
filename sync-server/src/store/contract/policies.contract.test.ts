import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { PoliciesStore } from '../policies-store';
import { PgPoliciesStore } from '../postgres/pg-policies-store';
import { sqlitePort, type PoliciesPort } from '../ports';

const storeOf = (b: Backend): PoliciesPort => (b.kind === 'sqlite' ? sqlitePort(new PoliciesStore(b.db)) : new PgPoliciesStore(b.pg));

const closedSundays = { openingHours: { sun: [] as string[][] } };

describeBackends('policies store', (current) => {
  it('numbers versions per policy and tenant, and keeps each version as it was written', async () => {
    const s = storeOf(current());
    await s.create('t1', { id: 'p1', name: 'Office', body: closedSundays, by: 'u1' }, 10);
    await s.create('t2', { id: 'p1', name: 'Other tenant', body: {}, by: 'u9' }, 10);
    expect(await s.addVersion('t1', 'p1', { openingHours: { sat: [] } }, 'u2', 20)).toBe(2);
    expect(await s.addVersion('t1', 'p1', {}, 'u2', 30)).toBe(3);
    expect(await s.addVersion('t1', 'missing', {}, 'u2', 30)).toBeUndefined();
    expect(await s.policy('t1', 'p1')).toEqual({ id: 'p1', name: 'Office', createdAt: 10, createdBy: 'u1', latestVersion: 3 });
    expect(await s.policy('t2', 'p1')).toMatchObject({ name: 'Other tenant', latestVersion: 1 });
    expect(await s.version('t1', 'p1', 1)).toEqual({ version: 1, body: closedSundays, createdAt: 10, createdBy: 'u1' });
    expect(await s.version('t1', 'p1', 4)).toBeUndefined();
    expect((await s.versions('t1', 'p1')).map((v) => v.version)).toEqual([1, 2, 3]);
    expect((await s.policies('t1')).map((p) => p.id)).toEqual(['p1']);
    expect(await s.policies('t3')).toEqual([]);
  });

  it('gives concurrent versions distinct numbers', async () => {
    const s = storeOf(current());
    await s.create('t1', { id: 'p1', name: 'Office', body: {}, by: 'u1' });
    const numbers = await Promise.all([1, 2, 3, 4].map((i) => s.addVersion('t1', 'p1', { i }, 'u1')));
    expect([...numbers].sort()).toEqual([2, 3, 4, 5]);
  });

  it('follows a site from assigned to delivered to applied, and a refusal to failed with its error', async () => {
    const s = storeOf(current());
    await s.create('t1', { id: 'p1', name: 'Office', body: {}, by: 'u1' });
    await s.addVersion('t1', 'p1', {}, 'u1');
    await s.assign('t1', 'gangnam', 'p1', 1, 100);
    expect(await s.assignment('t1', 'gangnam')).toEqual({ siteId: 'gangnam', policyId: 'p1', version: 1, status: 'assigned', updatedAt: 100 });
    expect(await s.markDelivered('t1', 'gangnam', 'p1', 2, 110)).toBe(false); // not the assigned version
    expect(await s.markDelivered('t1', 'gangnam', 'p1', 1, 110)).toBe(true);
    await s.report('t1', 'gangnam', { policyId: 'p1', version: 1, applied: true }, 120);
    expect(await s.assignment('t1', 'gangnam')).toMatchObject({ status: 'applied', appliedVersion: 1, appliedPolicyId: 'p1' });
    expect(await s.markDelivered('t1', 'gangnam', 'p1', 1, 130)).toBe(false); // applied stays applied

    await s.assign('t1', 'gangnam', 'p1', 2, 200);
    await s.report('t1', 'gangnam', { policyId: 'p1', version: 2, applied: false, error: 'body.openingHours: bad' }, 210);
    const failed = await s.assignment('t1', 'gangnam');
    expect(failed).toMatchObject({ version: 2, status: 'failed', error: 'body.openingHours: bad', appliedVersion: 1 });

    // A rollback: the older version assigned again, its status starts over.
    await s.assign('t1', 'gangnam', 'p1', 1, 300);
    expect(await s.assignment('t1', 'gangnam')).toEqual({ siteId: 'gangnam', policyId: 'p1', version: 1, status: 'assigned', appliedVersion: 1, appliedPolicyId: 'p1', updatedAt: 300 });
    await s.assign('t1', 'hongdae', 'p1', 2, 300);
    expect((await s.assignmentsOf('t1', 'p1')).map((a) => [a.siteId, a.version])).toEqual([['gangnam', 1], ['hongdae', 2]]);
    expect(await s.assignment('t2', 'gangnam')).toBeUndefined();
  });
});
