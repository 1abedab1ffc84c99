import { describe, expect, it } from 'vitest';
import { afterCrash, isCrash } from './crash-policy';

describe('afterCrash', () => {
  const policy = { maxCrashes: 3, windowMs: 60_000, baseDelayMs: 1_000 };
  it('reloads with growing delays, then gives up on a crash loop', () => {
    expect(afterCrash([], 100_000, policy)).toEqual({ action: 'reload', delayMs: 1_000 });
    expect(afterCrash([99_000], 100_000, policy)).toEqual({ action: 'reload', delayMs: 2_000 });
    expect(afterCrash([98_000, 99_000], 100_000, policy)).toEqual({ action: 'reload', delayMs: 4_000 });
    expect(afterCrash([97_000, 98_000, 99_000], 100_000, policy)).toEqual({ action: 'give-up' });
  });
  it('forgets crashes outside the window (a console that runs for weeks keeps recovering)', () => {
    expect(afterCrash([1_000, 2_000, 3_000], 100_000, policy)).toEqual({ action: 'reload', delayMs: 1_000 });
  });
  it('ignores future timestamps from a changed clock', () => {
    expect(afterCrash([500_000, 600_000, 700_000], 100_000, policy).action).toBe('reload');
  });
  it.each([
    ['crashed', true],
    ['oom', true],
    ['abnormal-exit', true],
    ['clean-exit', false],
    ['killed', false],
  ])('%s is a crash: %s', (reason, crash) => expect(isCrash(reason)).toBe(crash));
});
