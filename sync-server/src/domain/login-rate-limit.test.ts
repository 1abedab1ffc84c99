import { describe, expect, it } from 'vitest';
import { LoginRateLimit } from './login-rate-limit';

const limits = { pairFree: 3, sourceFree: 10, accountFree: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, maxAccountDelayMs: 10_000, forgetMs: 3_600_000 };

describe('login rate limit', () => {
  it('lets a pair fail freely a few times, then doubles its wait, capped', () => {
    const l = new LoginRateLimit(limits);
    for (let i = 0; i < 3; i++) l.fail('a@x', 'A', 0);
    expect(l.check('a@x', 'A', 0)).toBeGreaterThan(0);
    const waits: number[] = [];
    for (let t = 0; t < 12; t++) waits.push(l.check('a@x', 'A', 0));
    expect(waits.every((w, i) => i === 0 || w >= waits[i - 1]!)).toBe(true);
    expect(waits.at(-1)).toBe(60_000);
  });

  it('never makes another address wait for a pair it has not failed', () => {
    const l = new LoginRateLimit(limits);
    for (let i = 0; i < 50; i++) l.fail('a@x', `attacker-${i}`, 0);
    expect(l.check('a@x', 'operator', 0)).toBe(0);
    // Once it fails itself on an account under attack, it waits — at most maxAccountDelayMs after its own attempt.
    l.fail('a@x', 'operator', 1_000);
    const wait = l.check('a@x', 'operator', 1_000);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(10_000);
    for (let i = 0; i < 50; i++) l.fail('a@x', `attacker-x${i}`, 5_000);
    expect(l.check('a@x', 'operator', 11_000)).toBe(0);
  });

  it('throttles one address spraying many accounts', () => {
    const l = new LoginRateLimit(limits);
    for (let i = 0; i < 10; i++) l.fail(`user${i}@x`, 'A', 0);
    expect(l.check('fresh@x', 'A', 0)).toBeGreaterThan(0);
    expect(l.check('fresh@x', 'B', 0)).toBe(0);
  });

  it('forgets after a quiet hour; a success clears only its own pair', () => {
    const l = new LoginRateLimit(limits);
    for (let i = 0; i < 20; i++) l.fail('a@x', 'A', 0);
    expect(l.check('c@x', 'A', 59_000)).toBeGreaterThan(0);
    expect(l.check('c@x', 'A', 60_000 + 3_600_000)).toBe(0);
    for (let i = 0; i < 4; i++) l.fail('b@x', 'B', 0);
    l.succeed('b@x', 'B');
    expect(l.check('b@x', 'B', 0)).toBe(0);
  });
});
