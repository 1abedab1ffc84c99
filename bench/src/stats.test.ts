import { describe, expect, it } from 'vitest';
import { percentile, round, summarize, spreadOf } from './stats';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('returns a sample that exists, with at least p % at or below it', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
  });

  it('rounds the rank up on small samples, so one slow request shows in p99', () => {
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([1, 1, 1, 1, 1, 1, 1, 1, 1, 40], 99)).toBe(40);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN for no samples and refuses a percentile outside 0…100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts unsorted samples and reports count, mean and the tail', () => {
    const s = summarize([5, 1, 4, 2, 3]);
    expect(s).toEqual({ count: 5, min: 1, mean: 3, p50: 3, p95: 5, p99: 5, max: 5 });
  });

  it('does not reorder the caller’s array', () => {
    const samples = [3, 1, 2];
    summarize(samples);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('round', () => {
  it('keeps three decimals for small figures and fewer for large ones', () => {
    expect(round(1.23456)).toBe(1.235);
    expect(round(123.456)).toBe(123.5);
    expect(round(20_345.6)).toBe(20_346);
    expect(round(Number.NaN)).toBeNaN();
  });
});

describe('spreadOf', () => {
  it('takes the middle run for an odd count and the mean of the two middle runs for an even one', () => {
    expect(spreadOf([30, 10, 20])).toEqual({ runs: 3, median: 20, min: 10, max: 30 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ runs: 4, median: 2.5, min: 1, max: 4 });
  });

  it('refuses no runs at all', () => {
    expect(() => spreadOf([])).toThrow(RangeError);
  });
});
