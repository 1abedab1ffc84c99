import { describe, expect, it } from 'vitest';
import { ConfigError, HelpRequested, parseEdgeConfig } from '../src/config';
import { runEdgeCli } from './support/child-edge';

describe('edge CLI flags', () => {
  it.each([
    ['no site', [], /--site ID is required/],
    ['a bad site id', ['--site', 'Bad/Site'], /not a valid id/],
    ['an unknown flag', ['--site', 'a', '--frobnicate'], /Unknown option/],
    ['both broker flags', ['--site', 'a', '--mqtt-port', '0', '--mqtt-url', 'mqtt://x'], /either --mqtt-port or --mqtt-url/],
    ['a non-numeric port', ['--site', 'a', '--http-port', 'eighty'], /--http-port must be a whole number/],
    ['a port out of range', ['--site', 'a', '--mqtt-port', '70000'], /≤ 65535/],
    ['a zero TTL', ['--site', 'a', '--cache-ttl-ms', '0'], /--cache-ttl-ms must be a whole number ≥ 1/],
    ['a cloud without a token', ['--site', 'a', '--cloud', 'http://x'], /needs --token/],
    ['a token that is not a JWT', ['--site', 'a', '--cloud', 'http://x', '--token', 'abc'], /not a signed edge token/],
    ['a cloud URL that is not http', ['--site', 'a', '--cloud', 'ftp://x', '--token', 'a.e30.b'], /edge token|must use/],
    ['an embedded broker on a LAN address without device logins', ['--site', 'a', '--bind', '0.0.0.0'], /opens the embedded broker to the LAN: close it with --mqtt-closed/],
    ['a closed embedded broker and an external one at once', ['--site', 'a', '--mqtt-closed', '--mqtt-url', 'mqtt://x'], /external broker \(--mqtt-url\) uses its own authentication/],
    ['an embedded broker on a LAN IP without device logins', ['--site', 'a', '--bind', '192.168.10.2'], /--insecure-open-broker/],
  ])('rejects %s with one clear line', (_n, argv, message) => {
    expect(() => parseEdgeConfig(argv, {})).toThrow(ConfigError);
    expect(() => parseEdgeConfig(argv, {})).toThrow(message);
  });

  it('binds to the LAN with device logins, or when the open broker is accepted explicitly', () => {
    expect(parseEdgeConfig(['--site', 'a', '--bind', '0.0.0.0', '--insecure-open-broker'], {})).toMatchObject({ bind: '0.0.0.0', insecureOpenBroker: true });
    expect(parseEdgeConfig(['--site', 'a', '--bind', '127.0.0.2'], {})).toMatchObject({ insecureOpenBroker: false, mqttClosed: false });
    expect(parseEdgeConfig(['--site', 'a', '--bind', '0.0.0.0', '--mqtt-closed'], {})).toMatchObject({ bind: '0.0.0.0', mqttClosed: true, insecureOpenBroker: false });
  });

  it('exits 2 with one line when asked to open the embedded broker to the LAN', async () => {
    const r = await runEdgeCli(['--site', 'a', '--bind', '0.0.0.0', '--mqtt-port', '0', '--http-port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--mqtt-users/);
  });

  it('reads defaults and env overrides', () => {
    const c = parseEdgeConfig(['--site', 'gangnam'], { EDGE_HELD_OPEN_MS: '1500' });
    expect(c).toMatchObject({ mqttPort: 1884, httpPort: 8090, heldOpenMs: 1500, cacheTtlMs: 4 * 3600_000, outboxMaxEvents: 17_280_000 });
    expect(c.dataDir.endsWith('.data/edge-gangnam')).toBe(true);
  });

  it('names the default ports in --help (1884 keeps clear of a Mosquitto on 1883)', () => {
    const help = (() => {
      try {
        parseEdgeConfig(['--help'], {});
      } catch (err) {
        return err;
      }
    })();
    expect(help).toBeInstanceOf(HelpRequested);
    expect((help as HelpRequested).usage).toMatch(/default 1884[^]*default 8090/);
  });

  it('prints usage on stdout and exits 0 for --help, also among other flags', async () => {
    for (const argv of [['--help'], ['--site', 'x', '--help']]) {
      const r = await runEdgeCli(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^usage: npm run edge -- --site ID/);
      expect(r.stdout).toMatch(/--upload-window N/);
      expect(r.stderr).toBe('');
    }
  });

  it('prints the simulator usage on stdout and exits 0 for sim --help; bad sim flags exit 2', async () => {
    const help = await runEdgeCli(['--help'], 'sim');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run sim -- --site ID --mqtt-url URL/);
    const bad = await runEdgeCli(['--site', 'x', '--frobnicate'], 'sim');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^sim: Unknown option '--frobnicate'/);
  });

  it('exits 2 with a message and no stack trace on bad flags', async () => {
    const r = await runEdgeCli(['--site', 'x', '--held-open-ms', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--held-open-ms must be a whole number/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
