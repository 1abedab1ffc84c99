import { describe, expect, it } from 'vitest';
import type { RolloutRecord } from '../../store/firmware-rollouts-store';
import { applyProgress, markSent, planRollout } from './rollout-plan';

const rollout = (n: number, batchSize: number, maxFailures: number): RolloutRecord => ({
  id: 'r1',
  tenantId: 't',
  siteId: 's',
  version: '2',
  url: 'https://x/y',
  sha256: 'a'.repeat(64),
  batchSize,
  maxFailures,
  state: 'running',
  createdBy: 'u',
  createdAt: 0,
  updatedAt: 0,
  devices: Array.from({ length: n }, (_, i) => ({ deviceId: `d${i + 1}`, state: 'queued' as const })),
});

describe('rollout plan', () => {
  it('fails a device that does not answer in time, which counts towards maxFailures', () => {
    const r = markSent(rollout(3, 1, 0), ['d1'], 0);
    expect(planRollout(r, 1_000, { answerTimeoutMs: 60_000 }).rollout).toBe(r);
    const late = planRollout(r, 61_000, { answerTimeoutMs: 60_000 }).rollout;
    expect(late.state).toBe('aborted');
    expect(late.devices.map((d) => [d.state, d.error])).toEqual([['failed', 'no answer within 1 min'], ['skipped', undefined], ['skipped', undefined]]);
  });

  it('sends batchSize devices, and the next batch only once the current one ended', () => {
    let r = rollout(5, 2, 5);
    const first = planRollout(r, 1);
    expect(first.send).toEqual(['d1', 'd2']);
    r = markSent(first.rollout, first.send, 1);
    r = applyProgress(r, 'd1', 'done', undefined, 2)!;
    expect(planRollout(r, 2).send).toEqual([]);
    r = applyProgress(r, 'd2', 'failed', 'x', 3)!;
    expect(planRollout(r, 3).send).toEqual(['d3', 'd4']);
  });

  it('aborts past maxFailures, skipping every device not yet sent; an in-flight one still ends', () => {
    let r = markSent(rollout(4, 2, 0), ['d1', 'd2'], 1);
    r = applyProgress(r, 'd1', 'failed', 'bad', 2)!;
    const { rollout: aborted, send } = planRollout(r, 2);
    expect(send).toEqual([]);
    expect(aborted.state).toBe('aborted');
    expect(aborted.devices.map((d) => d.state)).toEqual(['failed', 'sent', 'skipped', 'skipped']);
    expect(applyProgress(aborted, 'd2', 'done', undefined, 3)?.devices[1]?.state).toBe('done');
    expect(applyProgress(aborted, 'd3', 'done', undefined, 3)).toBeUndefined();
  });

  it('ends done when every device ended within maxFailures, and never moves a device back', () => {
    let r = markSent(rollout(2, 2, 1), ['d1', 'd2'], 1);
    r = applyProgress(r, 'd1', 'installing', undefined, 2)!;
    expect(applyProgress(r, 'd1', 'downloading', undefined, 3)).toBeUndefined();
    r = applyProgress(r, 'd1', 'failed', 'x', 3)!;
    r = applyProgress(r, 'd2', 'done', undefined, 4)!;
    expect(planRollout(r, 5).rollout.state).toBe('done');
  });
});
