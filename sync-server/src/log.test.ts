import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';
import { createCloudLog, type LogLevel } from './log';

function capture(level: LogLevel = 'info') {
  const written: string[] = [];
  const log = createCloudLog({ level, destination: { write: (s: string) => void written.push(s) } });
  return { log, written, entries: () => written.map((s) => JSON.parse(s) as Record<string, unknown>) };
}

describe('cloud log', () => {
  it('redacts tokens, passwords and credentials by field name, also nested, and token-shaped text in messages', () => {
    const { log, written, entries } = capture();
    const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    log.child({ requestId: 'r1' }).warn(
      {
        token: jwt,
        accessToken: jwt,
        refreshToken: jwt,
        password: 'demo-pass-1234',
        headers: { authorization: `Bearer ${jwt}` },
        member: {
          credentials: [{ type: 'card', value: 'card-0042' }],
          passwordHash: 'scrypt$x',
          'value-of-credential': 'card-0042',
        },
        userId: 'u-1',
      },
      `refresh refused for ${jwt}`,
    );
    expect(written).toHaveLength(1);
    expect(written[0]).not.toMatch(/eyJ|demo-pass|card-0042|scrypt/);
    expect(entries()[0]).toMatchObject({
      level: 'warn',
      requestId: 'r1',
      msg: 'refresh refused for [redacted]',
      token: '[redacted]',
      accessToken: '[redacted]',
      refreshToken: '[redacted]',
      password: '[redacted]',
      headers: { authorization: '[redacted]' },
      member: { credentials: '[redacted]', passwordHash: '[redacted]', 'value-of-credential': '[redacted]' },
      userId: 'u-1',
    });
  });

  it('writes ISO times and level names, and nothing below its level', () => {
    const { log, entries } = capture('warn');
    log.info('request');
    log.error({ siteId: 'gangnam' }, 'site status: report of gangnam not stored');
    expect(entries()).toEqual([
      expect.objectContaining({
        level: 'error',
        siteId: 'gangnam',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      }),
    ]);
  });
});

describe('log level setting', () => {
  it('is info by default, CR_LOG_LEVEL when set, and --log-level above both', () => {
    expect(parseConfig([], '/srv', {}).logLevel).toBe('info');
    expect(parseConfig([], '/srv', { CR_LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
    expect(parseConfig(['--log-level', 'debug'], '/srv', { CR_LOG_LEVEL: 'warn' }).logLevel).toBe('debug');
  });

  it('refuses an unknown level, naming where it came from', () => {
    expect(() => parseConfig(['--log-level', 'loud'], '/srv', {})).toThrow(/^--log-level: /);
    expect(() => parseConfig([], '/srv', { CR_LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => parseConfig([], '/srv', { CR_LOG_LEVEL: 'loud' })).toThrow(/^CR_LOG_LEVEL: /);
  });
});
