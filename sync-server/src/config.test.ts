import { describe, expect, it } from 'vitest';
import { BUS_ENV, ConfigError, METRICS_TOKEN_ENV, parseConfig, STORE_ENV, STREAM_ENV } from './config';

const TOKEN = 'scrape-token-0123456789abcdef';

describe('metrics token', () => {
  it('is unset unless given', () => {
    expect(parseConfig([], '/srv', {}).metricsToken).toBeUndefined();
    expect(parseConfig([], '/srv', { [METRICS_TOKEN_ENV]: '' }).metricsToken).toBeUndefined();
  });

  it('comes from --metrics-token, else from the environment', () => {
    expect(parseConfig(['--metrics-token', TOKEN], '/srv', {}).metricsToken).toBe(TOKEN);
    expect(parseConfig([], '/srv', { [METRICS_TOKEN_ENV]: TOKEN }).metricsToken).toBe(TOKEN);
    expect(parseConfig(['--metrics-token', TOKEN], '/srv', { [METRICS_TOKEN_ENV]: `${TOKEN}-env` }).metricsToken).toBe(TOKEN);
  });

  it.each([
    ['too short', 'short-token'],
    ['with a space', 'scrape token 0123456789abcdef'],
    ['non-ASCII', 'scrape-token-0123456789abcdé'],
  ])('refuses a token %s, naming where it came from and not the token', (_, bad) => {
    expect(() => parseConfig(['--metrics-token', bad], '/srv', {})).toThrow(/^--metrics-token: /);
    let err: unknown;
    try {
      parseConfig([], '/srv', { [METRICS_TOKEN_ENV]: bad });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(new RegExp(`^${METRICS_TOKEN_ENV}: `));
    expect((err as Error).message).not.toContain(bad);
  });
});

describe('shared services (CONTRACT §10)', () => {
  const PG = 'postgres://cr:pg-secret@db.internal:5432/cr';

  it('takes the store, bus and stream from flags or the environment, each optional', () => {
    const bare = parseConfig([], '/srv', {});
    expect([bare.storeUrl, bare.busUrl, bare.streamUrl]).toEqual([undefined, undefined, undefined]);
    const flags = parseConfig(['--store', PG, '--bus', 'redis://:r@cache:6379', '--stream', 'nats://mq:4222'], '/srv', {});
    expect(flags).toMatchObject({ storeUrl: PG, busUrl: 'redis://:r@cache:6379', streamUrl: 'nats://mq:4222' });
    const env = parseConfig([], '/srv', { [STORE_ENV]: PG, [BUS_ENV]: 'rediss://cache:6380', [STREAM_ENV]: 'nats://mq:4222' });
    expect(env).toMatchObject({ storeUrl: PG, busUrl: 'rediss://cache:6380', streamUrl: 'nats://mq:4222' });
  });

  it.each([
    ['--bus', 'http://user:bus-secret@cache:6379', /^--bus http:\/\/…: expected redis:\/\//],
    ['--stream', 'redis://user:stream-secret@mq:4222', /^--stream redis:\/\/…: expected nats:\/\//],
    ['--bus', 'not a url bus-secret', /^--bus \(not a URL\)/],
  ])('refuses %s %s with one line that holds no credentials', (flag, url, message) => {
    let err: unknown;
    try {
      parseConfig(['--store', PG, flag, url], '/srv', {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toMatch(/secret/);
  });

  it('refuses a bus or stream on SQLite: a SQLite file belongs to one process', () => {
    expect(() => parseConfig(['--bus', 'redis://cache:6379'], '/srv', {})).toThrow(/--bus needs --store postgres/);
    expect(() => parseConfig(['--stream', 'nats://mq:4222'], '/srv', {})).toThrow(/--stream needs --store postgres/);
  });
});

describe('--cluster', () => {
  it('names the deployment on shared services (default cr) and refuses names that are not one token', () => {
    expect(parseConfig([], '/srv', {}).cluster).toBe('cr');
    expect(parseConfig(['--cluster', 'seoul_hq'], '/srv', {}).cluster).toBe('seoul_hq');
    for (const bad of ['Seoul', 'a.b', 'a*', '', '1st', 'x'.repeat(33)])
      expect(() => parseConfig(['--cluster', bad], '/srv', {})).toThrow(/^--cluster: /);
  });

  it('takes where notifications go out from flags, the SMTP URL also from the environment and the SMS key only from it', () => {
    const none = parseConfig([], '/srv', {});
    expect([none.smtpUrl, none.smtpFrom, none.smsProviderUrl, none.smsApiKey]).toEqual([undefined, undefined, undefined, undefined]);
    const c = parseConfig(
      ['--smtp-url', 'smtp://relay:2525', '--smtp-from', 'alerts@example.com', '--sms-provider-url', 'https://sms.example/v1/send'],
      '/srv',
      { CR_SMS_API_KEY: 'k-1' },
    );
    expect(c).toMatchObject({ smtpUrl: 'smtp://relay:2525', smtpFrom: 'alerts@example.com', smsProviderUrl: 'https://sms.example/v1/send', smsApiKey: 'k-1' });
    expect(parseConfig([], '/srv', { CR_SMTP_URL: 'smtps://u:p@relay:465' }).smtpUrl).toBe('smtps://u:p@relay:465');
    expect(() => parseConfig(['--smtp-url', 'http://relay'], '/srv', {})).toThrow(/^--smtp-url http:\/\/…: expected smtp:/);
    expect(() => parseConfig(['--sms-provider-url', 'ftp://x'], '/srv', {})).toThrow(/^--sms-provider-url ftp:\/\/…/);
    expect(() => parseConfig(['--smtp-from', 'nobody'], '/srv', {})).toThrow(/^--smtp-from: must be an e-mail address/);
  });
});

describe('no-show grace', () => {
  it('defaults to 15 minutes and is set by --no-show-grace-ms', () => {
    expect(parseConfig([], '/srv', {}).noShowGraceMs).toBe(15 * 60_000);
    expect(parseConfig(['--no-show-grace-ms', '300000'], '/srv', {}).noShowGraceMs).toBe(300_000);
    expect(() => parseConfig(['--no-show-grace-ms', '99999999'], '/srv', {})).toThrow(/^--no-show-grace-ms: /);
  });
});
