import { describe, expect, it } from 'vitest';
import { boundOf, combineRuns, verdictOf } from './aggregate';
import type { ScenarioResult } from './scenario';

const run = (values: Record<string, number>, status: ScenarioResult['status'] = 'ok'): ScenarioResult => ({
  name: 'access',
  ran: 'ran',
  status,
  durationMs: 1000,
  figures: Object.entries(values).map(([name, value]) => ({ name, value, unit: 'ms', ...(name === 'p99' ? { target: '≤ 5 ms', met: value <= 5 } : {}) })),
});

describe('bench runs combined', () => {
  it('reads targets back', () => {
    expect(boundOf('≤ 5 ms')).toEqual({ kind: 'max', limit: 5 });
    expect(boundOf('≥ 20,000 events/s')).toEqual({ kind: 'min', limit: 20000 });
    expect(boundOf(undefined)).toBeUndefined();
  });

  it('judges by the spread: met when every run meets, not met when none does, within noise when they straddle and the median meets', () => {
    expect(verdictOf('≤ 5 ms', 4.4, 4.1, 4.9)).toBe('met');
    expect(verdictOf('≤ 5 ms', 5.6, 5.2, 6.1)).toBe('not met');
    expect(verdictOf('≤ 5 ms', 4.8, 4.4, 5.2)).toBe('within noise');
    expect(verdictOf('≤ 5 ms', 5.1, 4.4, 5.2)).toBe('not met');
    expect(verdictOf('≥ 100 req/s', 120, 90, 150)).toBe('within noise');
  });

  it('reports the median and spread of every figure over the ok runs, and counts the failed ones', () => {
    const r = combineRuns([run({ p99: 4.4, p50: 1 }), run({ p99: 5.2, p50: 3 }), run({ p99: 4.8, p50: 2 }), run({}, 'failed')], [{ before: 0.5, peak: 1 }]);
    expect(r.okRuns).toBe(3);
    expect(r.runs).toBe(4);
    const p99 = r.figures.find((f) => f.name === 'p99')!;
    expect(p99).toMatchObject({ value: 4.8, min: 4.4, max: 5.2, runs: 3, verdict: 'within noise' });
    expect(r.figures.find((f) => f.name === 'p50')).toMatchObject({ value: 2, min: 1, max: 3 });
  });
});
