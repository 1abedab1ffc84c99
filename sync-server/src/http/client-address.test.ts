import { describe, expect, it } from 'vitest';
import { clientAddress, NO_SOCKET, trustedProxies } from './client-address';

const proxies = trustedProxies(['10.0.0.0/8', '::1', '2001:db8::/32']);
const none = trustedProxies([]);

describe('the client address for throttles and audit', () => {
  it.each([
    ['no proxy configured: the socket, whatever the header says', '203.0.113.5', '1.2.3.4', none, '203.0.113.5'],
    ['an untrusted peer writing X-Forwarded-For', '198.51.100.7', '10.0.0.9, 1.2.3.4', proxies, '198.51.100.7'],
    ['a trusted proxy: the hop it saw', '10.0.0.2', '203.0.113.5', proxies, '203.0.113.5'],
    [
      'a client forging hops before the proxy appended its own',
      '10.0.0.2',
      '1.1.1.1, 203.0.113.5',
      proxies,
      '203.0.113.5',
    ],
    ['two trusted proxies in a row', '10.0.0.2', '203.0.113.5, 10.0.0.3', proxies, '203.0.113.5'],
    ['IPv4-mapped IPv6 socket address', '::ffff:10.0.0.2', '203.0.113.5', proxies, '203.0.113.5'],
    ['IPv6 proxy and client', '::1', '2001:db9::7', proxies, '2001:db9::7'],
    ['a hop with a port', '10.0.0.2', '203.0.113.5:4431', proxies, '203.0.113.5'],
    ['a garbage hop: the proxy is the last address vouched for', '10.0.0.2', 'not-an-ip', proxies, '10.0.0.2'],
    ['a trusted proxy without the header', '10.0.0.2', undefined, proxies, '10.0.0.2'],
    ['no socket (in-process request)', undefined, '1.2.3.4', proxies, NO_SOCKET],
  ] as const)('%s', (_name, peer, xff, trusted, expected) => {
    expect(clientAddress(peer, xff, trusted)).toBe(expected);
  });

  it('refuses a bad --trust-proxy entry with one line', () => {
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.0/x', '::1/129'])
      expect(() => trustedProxies([bad])).toThrow(/^(not an IP|bad prefix)/);
  });
});
