import { describe, expect, it } from 'vitest';
import { BurstLog, createLogger, type Logger, type LoggerOptions } from './log';

/** A logger writing to memory; returns the parsed lines. */
function capture(opts: Omit<LoggerOptions, 'destination'> = {}) {
  const written: string[] = [];
  const log = createLogger({ ...opts, destination: { write: (s: string) => void written.push(s) } });
  return { log, written, entries: () => written.map((s) => JSON.parse(s) as Record<string, unknown>) };
}

describe('edge log', () => {
  it('writes one JSON line per entry with level, time, site, message and the extras given', () => {
    const { log, written, entries } = capture({ site: 'gangnam' });
    log.warn('cloud link closed (1006)\nforged second line', { code: 1006 });
    expect(written).toHaveLength(1);
    expect(written[0]!.trimEnd()).not.toContain('\n');
    const [line] = entries();
    expect(line).toEqual({
      level: 'warn',
      time: expect.any(String),
      site: 'gangnam',
      code: 1006,
      msg: 'cloud link closed (1006)\nforged second line',
    });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
  });

  it('redacts tokens, passwords and credentials in the extras, at any of the first three levels, and token-shaped text in messages', () => {
    const { log, written, entries } = capture({ site: 's' });
    const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    log.error(`renewal failed for ${jwt}`, {
      token: jwt,
      password: 'hunter2-hunter2',
      'value-of-credential': 'card-0042',
      request: { authorization: `Bearer ${jwt}`, path: '/api/v1/site' },
      member: {
        credential: { type: 'card', value: 'card-0042' },
        login: { passwordHash: 'scrypt$abc', accessToken: jwt, refreshToken: jwt, credentials: ['card-0043'] },
      },
    });
    expect(written.join('')).not.toMatch(/eyJ|hunter2|card-004|scrypt/);
    expect(entries()[0]).toMatchObject({
      msg: 'renewal failed for [redacted]',
      token: '[redacted]',
      password: '[redacted]',
      'value-of-credential': '[redacted]',
      request: { authorization: '[redacted]', path: '/api/v1/site' },
      member: {
        credential: '[redacted]',
        login: {
          passwordHash: '[redacted]',
          accessToken: '[redacted]',
          refreshToken: '[redacted]',
          credentials: '[redacted]',
        },
      },
    });
  });

  it('--quiet drops info lines and keeps warnings and errors', () => {
    const { log, entries } = capture({ site: 's', quiet: true });
    log.info('cloud link up');
    log.warn('outbox at 80 %');
    log.error('storage failing');
    expect(entries().map((e) => e.level)).toEqual(['warn', 'error']);
  });
});

describe('burst log', () => {
  it('logs the first of a burst, stays quiet for the window, then says how many it suppressed', () => {
    const lines: string[] = [];
    const log: Logger = { info: () => undefined, warn: (m) => lines.push(m), error: () => undefined };
    const burst = new BurstLog(log, 10_000);
    for (let i = 0; i < 500; i++) burst.warn('bad input (json)', `payload ${i}`, 1_000 + i);
    burst.warn('bad input (topic)', 'other kind', 1_600);
    burst.warn('bad input (json)', 'after the window', 12_000);
    expect(lines).toEqual([
      'bad input (json): payload 0',
      'bad input (topic): other kind',
      'bad input (json): after the window (499 similar suppressed)',
    ]);
  });

  it('gives the kind and the suppressed count as fields of the line', () => {
    const { log, entries } = capture({ site: 's' });
    const burst = new BurstLog(log, 10_000);
    burst.warn('bad input (json)', 'payload 0', 1_000);
    burst.warn('bad input (json)', 'payload 1', 1_001);
    burst.warn('bad input (json)', 'payload 2', 20_000);
    expect(entries()).toMatchObject([
      { level: 'warn', kind: 'bad input (json)', msg: 'bad input (json): payload 0' },
      {
        level: 'warn',
        kind: 'bad input (json)',
        suppressed: 1,
        msg: 'bad input (json): payload 2 (1 similar suppressed)',
      },
    ]);
  });
});
