import { describe, expect, it } from 'vitest';
import { BurstLog, type Logger } from './log';

describe('burst log', () => {
  it('logs the first of a burst, stays quiet for the window, then says how many it suppressed', () => {
    const lines: string[] = [];
    const log: Logger = { info: () => undefined, warn: (m) => lines.push(m), error: () => undefined };
    const burst = new BurstLog(log, 10_000);
    for (let i = 0; i < 500; i++) burst.warn('bad input (json)', `payload ${i}`, 1_000 + i);
    burst.warn('bad input (topic)', 'other kind', 1_600);
    burst.warn('bad input (json)', 'after the window', 12_000);
    expect(lines).toEqual(['bad input (json): payload 0', 'bad input (topic): other kind', 'bad input (json): after the window (499 similar suppressed)']);
  });
});
