import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

describe('reconnect backoff', () => {
  it('grows exponentially up to the ceiling, jittered, and resets', () => {
    const top = new Backoff(100, 1_000, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(() => top.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    const bottom = new Backoff(100, 1_000, () => 0);
    expect(bottom.next()).toBe(50);
    top.reset();
    expect(top.next()).toBe(100);
  });
});
