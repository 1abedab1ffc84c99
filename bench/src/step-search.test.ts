import { describe, expect, it } from 'vitest';
import { describeSteps, judgeStep, stepSearch, type StepOutcome } from './step-search';

const bound = { p99Ms: 1000, minHandledShare: 0.98 };

describe('judgeStep', () => {
  it('passes a step under the p99 bound that handled nearly all it was offered', () => {
    expect(judgeStep({ offered: 1000, handled: 980, p99Ms: 999 }, bound)).toEqual({ pass: true });
  });
  it('fails at the p99 bound itself and names it', () => {
    const v = judgeStep({ offered: 1000, handled: 1000, p99Ms: 1000 }, bound);
    expect(v.pass).toBe(false);
    expect(v.why).toContain('p99 1000 ms ≥ 1000 ms');
  });
  it('fails when less than the share was handled, even with a fast p99', () => {
    const v = judgeStep({ offered: 1000, handled: 979, p99Ms: 5 }, bound);
    expect(v.pass).toBe(false);
    expect(v.why).toContain('0.979 < 0.98');
  });
  it('fails a step whose p99 is unknown (no samples)', () => {
    expect(judgeStep({ offered: 1000, handled: 1000, p99Ms: Number.NaN }, bound).pass).toBe(false);
  });
  it('fails a step that offered nothing', () => {
    expect(judgeStep({ offered: 0, handled: 0, p99Ms: 1 }, bound)).toEqual({ pass: false, why: 'nothing was offered' });
  });
});

describe('stepSearch', () => {
  /** A system that keeps up to `limit`/s and falls behind above it. */
  const system = (limit: number) => {
    const ran: number[] = [];
    const run = async (rate: number): Promise<StepOutcome> => {
      ran.push(rate);
      return rate <= limit ? { offered: rate, handled: rate, p99Ms: 50 } : { offered: rate, handled: limit, p99Ms: 4000 };
    };
    return { ran, run };
  };

  it('reports the last passing step and stops at the first failing one', async () => {
    const s = system(3000);
    const r = await stepSearch([1000, 2000, 4000, 8000], s.run, bound);
    expect(r.capacity).toBe(2000);
    expect(r.brokeAt?.offered).toBe(4000);
    expect(s.ran).toEqual([1000, 2000, 4000]);
    expect(r.steps.map((x) => x.pass)).toEqual([true, true, false]);
  });

  it('has no capacity when the first step already fails', async () => {
    const r = await stepSearch([5000, 6000], system(1000).run, bound);
    expect(r.capacity).toBeUndefined();
    expect(r.steps).toHaveLength(1);
  });

  it('leaves brokeAt undefined when every step passed (capacity is then a lower bound)', async () => {
    const r = await stepSearch([100, 200], system(1000).run, bound);
    expect(r.capacity).toBe(200);
    expect(r.brokeAt).toBeUndefined();
  });

  it('refuses rates that do not rise', async () => {
    await expect(stepSearch([100, 100], system(1000).run, bound)).rejects.toThrow(/must rise/);
  });

  it('describes each step with its verdict', async () => {
    const r = await stepSearch([1000, 4000], system(3000).run, bound);
    expect(describeSteps(r.steps, 'events/s')).toBe('1000 events/s ok (handled 1000, p99 50 ms); 4000 events/s broke: p99 4000 ms ≥ 1000 ms, handled/offered 0.750 < 0.98 (handled 3000, p99 4000 ms)');
  });
});
