import { describe, expect, it } from 'vitest';
import { ArrivalTally, ClientReceipts, dealClients, steadyFigures } from './fanout-ledger';

describe('fan-out delivery ledger', () => {
  it('completes an edit only when every observer has seen it, at the latest arrival', () => {
    const t = new ArrivalTally(3);
    expect(t.arrive(7, 10)).toBeUndefined();
    expect(t.arrive(7, 30)).toBeUndefined();
    expect(t.arrive(8, 5)).toBeUndefined();
    expect(t.pending).toBe(2);
    expect(t.arrive(7, 20)).toBe(30);
    expect(t.pending).toBe(1);
    // A completed edit starts over rather than completing twice.
    expect(t.arrive(7, 40)).toBeUndefined();
  });

  it('refuses a tally without observers', () => {
    expect(() => new ArrivalTally(0)).toThrow(RangeError);
    expect(() => new ArrivalTally(2.5)).toThrow(RangeError);
  });

  it('counts each edit once per client and keeps steady receipts only', () => {
    const c = new ClientReceipts(2);
    expect(c.see(0, 1)).toBe(true);
    expect(c.see(0, 2)).toBe(false);
    expect(c.see(3, 4)).toBe(true);
    expect(c.see(1, 5)).toBe(false);
    expect(c.see(Number.NaN, 6)).toBe(false);
    expect(c.steadyAt).toEqual([1, null]);
  });

  it('derives per-client and to-every-client latency and the edits lost', () => {
    const sent = [100, 200, 300];
    const receipts = [
      [101, 203, null],
      [102, 202, 305],
    ];
    const s = steadyFigures(sent, receipts, [102, 203, undefined]);
    expect(s.perClient.count).toBe(5);
    expect(s.perClient.max).toBe(5);
    expect(s.perClient.min).toBe(1);
    expect(s.toEveryClient.count).toBe(2);
    expect(s.toEveryClient.max).toBe(3);
    expect(s.lost).toBe(1);
  });

  it('deals clients over processes evenly', () => {
    expect(dealClients(100, 4)).toEqual([25, 25, 25, 25]);
    expect(dealClients(10, 3)).toEqual([4, 3, 3]);
    expect(() => dealClients(2, 3)).toThrow(RangeError);
    expect(() => dealClients(5, 0)).toThrow(RangeError);
  });
});
