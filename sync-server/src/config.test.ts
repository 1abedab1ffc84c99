import { describe, expect, it } from 'vitest';
import { ConfigError, METRICS_TOKEN_ENV, parseConfig } from './config';

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
