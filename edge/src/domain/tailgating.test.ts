import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tailgating } from './tailgating';

const WINDOW = 10_000;

describe('tailgating', () => {
  it('raises when more people walk in than were granted, for each ungranted entry, and clears after a clean window', () => {
    const t = new Tailgating(WINDOW);
    expect(t.counted('cam', 'office', 100, 0)).toEqual([]); // baseline
    t.granted('office', 1_000);
    expect(t.counted('cam', 'office', 102, 2_000)).toMatchObject([{ phase: 'raise', subject: 'office', message: '2 people counted entering office on 1 grant' }]);
    expect(t.counted('cam', 'office', 103, 3_000)).toMatchObject([{ phase: 'raise', message: '1 person counted entering office on 0 grants' }]);
    expect(t.tick(3_000 + WINDOW - 1)).toEqual([]);
    expect(t.tick(3_000 + WINDOW)).toMatchObject([{ phase: 'clear', subject: 'office' }]);
  });

  it('stays quiet when counts equal grants, for a retained total sent again, a counter restart, and a door standing unlocked', () => {
    const t = new Tailgating(WINDOW);
    t.counted('cam', 'office', 5, 0);
    t.granted('office', 10);
    t.granted('office', 20);
    expect(t.counted('cam', 'office', 7, 1_000)).toEqual([]);
    expect(t.counted('cam', 'office', 7, 2_000)).toEqual([]);
    expect(t.counted('cam', 'office', 0, 3_000)).toEqual([]);
    t.standingOpen('office', 4_000);
    expect(t.counted('cam', 'office', 3, 5_000)).toEqual([]);
  });

  it('a grant lets one person in within its window only', () => {
    const t = new Tailgating(WINDOW);
    t.counted('cam', 'office', 0, 0);
    t.granted('office', 0);
    expect(t.counted('cam', 'office', 1, WINDOW + 1)).toHaveLength(1);
  });

  it('raises exactly when some batch of entries outnumbers the open grants (fixed seed)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 20 }), (steps) => {
        const t = new Tailgating(WINDOW);
        t.counted('cam', 'z', 0, 0);
        let total = 0;
        let credit = 0;
        let expected = false;
        let raised = false;
        steps.forEach(([grants, entered], i) => {
          for (let g = 0; g < grants; g++) t.granted('z', i);
          credit += grants;
          total += entered;
          if (entered > credit) expected = true;
          credit = Math.max(0, credit - entered);
          raised ||= t.counted('cam', 'z', total, i).length > 0;
        });
        expect(raised).toBe(expected);
      }),
      { seed: 77, numRuns: 300 },
    );
  });
});
