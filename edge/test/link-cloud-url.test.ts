import { describe, expect, it } from 'vitest';
import { ConfigError, parseEdgeConfig, USAGE } from '../src/config';

const claims = { typ: 'edge', sub: 'edge-a', tenantId: 'demo', siteId: 'a', iat: 1, jti: 'j' };
const token = `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
const parse = (cloud: string, ...extra: string[]) => parseEdgeConfig(['--site', 'a', '--cloud', cloud, '--token', token, ...extra], {});

describe('cloud URL', () => {
  it.each([
    ['https anywhere', 'https://cloud.example.com'],
    ['http on 127.0.0.1', 'http://127.0.0.1:8080'],
    ['http on another loopback address', 'http://127.0.0.2:8080'],
    ['http on localhost', 'http://localhost:8080'],
    ['http on ::1', 'http://[::1]:8080'],
  ])('accepts %s', (_name, url) => {
    expect(parse(url).cloudUrl).toBe(url);
  });

  it.each([
    ['a LAN address', 'http://192.168.0.10:8080'],
    ['a public name', 'http://cloud.example.com'],
    ['a name that only starts like loopback', 'http://127.0.0.1.evil.example'],
    ['an IPv6 address', 'http://[2001:db8::1]:8080'],
  ])('refuses plain http to %s without --insecure-cloud-url, in one line saying why', (_name, url) => {
    expect(() => parse(url)).toThrow(ConfigError);
    expect(() => parse(url)).toThrow(/plain http .*clear text.*--insecure-cloud-url/);
    expect(parse(url, '--insecure-cloud-url').cloudUrl).toBe(url);
    expect(parseEdgeConfig(['--site', 'a', '--cloud', url, '--token', token], { EDGE_INSECURE_CLOUD_URL: '1' }).cloudUrl).toBe(url);
  });

  it('names the flag in the usage', () => {
    expect(USAGE).toContain('--insecure-cloud-url');
  });
});
