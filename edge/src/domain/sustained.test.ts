import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SustainedCondition, type Reading } from './sustained';

describe('sustained condition', () => {
  it('raises only once the reading stayed past the limit for the sustained time, dated from its start, and clears only clearly inside', () => {
    const c = new SustainedCondition(1_000);
    expect(c.update('k', 'past', 0)).toEqual([]);
    expect(c.tick(999)).toEqual([]);
    expect(c.tick(1_000)).toEqual([{ phase: 'raise', key: 'k', at: 0 }]);
    expect(c.update('k', 'past', 1_100)).toEqual([]);
    expect(c.update('k', 'margin', 1_200)).toEqual([]);
    expect(c.update('k', 'inside', 1_300)).toEqual([{ phase: 'clear', key: 'k', at: 1_300 }]);
  });

  it('never raises for spikes shorter than the sustained time (fixed seed)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom<Reading>('past', 'inside'), fc.integer({ min: 1, max: 400 })), { maxLength: 40 }), (steps) => {
        const c = new SustainedCondition(1_000);
        let now = 0;
        let since: number | undefined;
        for (const [reading, gap] of steps) {
          const raised = [...c.tick(now), ...c.update('k', reading, now)].some((s) => s.phase === 'raise');
          if (reading === 'past') since ??= now;
          const held = since !== undefined && now - since >= 1_000;
          if (raised) expect(held).toBe(true);
          if (reading === 'inside') since = undefined;
          now += gap;
        }
      }),
      { seed: 9, numRuns: 300 },
    );
  });

  it('a restart gives a moved target the whole time again', () => {
    const c = new SustainedCondition(1_000);
    c.update('k', 'past', 0);
    c.restart('k', 900);
    expect(c.tick(1_500)).toEqual([]);
    expect(c.tick(1_900)).toEqual([{ phase: 'raise', key: 'k', at: 900 }]);
  });
});
