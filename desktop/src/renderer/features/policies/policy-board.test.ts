import { describe, expect, it } from 'vitest';
import type { Assignment, SitePolicy, StagedRollout } from './policy-api';
import { boardRows, rollbackPlan, statusCounts } from './policy-board';

const SITES = [
  { id: 'yeouido', name: '여의도점' },
  { id: 'gangnam', name: '강남점' },
  { id: 'hongdae', name: '홍대점' },
];
const a = (siteId: string, version: number, status: Assignment['status'], more: Partial<Assignment> = {}): Assignment => ({ siteId, policyId: 'p1', version, status, ...more });
const staged = (state: StagedRollout['state']): StagedRollout => ({
  rolloutId: 'r1', version: 3, state, firstSiteIds: ['gangnam'], restSiteIds: ['hongdae'], waitSec: 60, stopWhen: {}, createdAt: 1, createdBy: 'admin', signals: { failedApplies: 0, deniedSwipes: 0, swipes: 0, newAlerts: 0 },
});

describe('rollout board layout', () => {
  it('lists every site by name with this policy’s assignment, another policy’s, or none', () => {
    const others = new Map<string, SitePolicy | undefined>([['hongdae', { policyId: 'p2', version: 4, status: 'applied' }], ['yeouido', undefined]]);
    const rows = boardRows(SITES, 'p1', [a('gangnam', 2, 'failed', { error: 'body.openingHours.mon.0: bad', appliedVersion: 1 })], others);
    expect(rows.map((r) => [r.siteId, r.holds, r.version, r.status])).toEqual([
      ['gangnam', 'this', 2, 'failed'],
      ['yeouido', 'none', undefined, undefined],
      ['hongdae', 'other', 4, 'applied'],
    ]);
    expect(rows[0]).toMatchObject({ appliedVersion: 1, error: 'body.openingHours.mon.0: bad' });
    expect(rows[2]!.otherPolicyId).toBe('p2');
  });

  it('shows an assigned site the console does not list, by its id, and ignores another policy’s assignments', () => {
    const rows = boardRows(SITES.slice(0, 1), 'p1', [a('busan', 1, 'applied'), { ...a('yeouido', 9, 'applied'), policyId: 'p9' }], new Map());
    expect(rows.map((r) => [r.siteId, r.siteName, r.holds])).toEqual([
      ['busan', 'busan', 'this'],
      ['yeouido', '여의도점', 'none'],
    ]);
  });

  it('marks the stage of each site while a staged rollout runs, not after it ended', () => {
    const running = boardRows(SITES, 'p1', [], new Map(), [staged('waiting')]);
    expect(Object.fromEntries(running.map((r) => [r.siteId, r.stage]))).toEqual({ gangnam: 'first', hongdae: 'rest', yeouido: undefined });
    expect(boardRows(SITES, 'p1', [], new Map(), [staged('stopped')]).every((r) => r.stage === undefined)).toBe(true);
  });

  it('plans the rollback: the sites on the newest assigned version go to the version before it', () => {
    const rows = boardRows(SITES, 'p1', [a('gangnam', 3, 'applied'), a('hongdae', 3, 'failed'), a('yeouido', 1, 'applied')], new Map());
    expect(rollbackPlan(rows, [1, 2, 3])).toEqual({ from: 3, to: 2, siteIds: ['gangnam', 'hongdae'] });
    expect(rollbackPlan(boardRows(SITES, 'p1', [a('gangnam', 1, 'applied')], new Map()), [1, 2])).toBeUndefined();
    expect(rollbackPlan(boardRows(SITES, 'p1', [], new Map()), [1, 2])).toBeUndefined();
    expect(statusCounts(rows)).toEqual({ assigned: 0, delivered: 0, applied: 2, failed: 1 });
  });
});
