import { BlockList, isIP } from 'node:net';

/** The address when the request came without a socket (tests through `app.request()`). */
export const NO_SOCKET = 'unknown';
const MAX_HOPS = 20;

/** Parses `--trust-proxy` CIDRs (`10.0.0.0/8`, `::1`, `192.168.1.5`); throws a one-line Error for a bad one. */
export function trustedProxies(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const raw of cidrs) {
    const [addr = '', bits] = raw.trim().split('/');
    const family = isIP(addr);
    if (!family) throw new Error(`not an IP address or CIDR: ${JSON.stringify(raw.slice(0, 60))}`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(addr, type);
    else {
      const prefix = Number(bits);
      if (!/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128))
        throw new Error(`bad prefix length in ${JSON.stringify(raw.slice(0, 60))}`);
      list.addSubnet(addr, prefix, type);
    }
  }
  return list;
}

/** A bare IP from a socket address or an X-Forwarded-For hop (`::ffff:` mapping, brackets and ports removed), or undefined. */
function bareIp(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let t = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(t);
  if (bracketed) t = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(t)) t = t.slice(0, t.lastIndexOf(':'));
  if (t.toLowerCase().startsWith('::ffff:') && isIP(t.slice(7)) === 4) t = t.slice(7);
  return isIP(t) ? t : undefined;
}

const isTrusted = (trusted: BlockList, ip: string): boolean => trusted.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');

/**
 * The client's address: the socket's peer, unless the peer is a trusted proxy, in which case the
 * X-Forwarded-For hops are walked from the right past trusted proxies to the first address that
 * is not one. Threat: a client naming any address it likes in X-Forwarded-For to dodge the login
 * throttle or forge the audit log's source; only a configured proxy's word is taken.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: BlockList): string {
  let client = bareIp(peer);
  if (!client) return NO_SOCKET;
  if (!forwardedFor || !isTrusted(trusted, client)) return client;
  const hops = forwardedFor.slice(0, 2_000).split(',').slice(-MAX_HOPS);
  while (isTrusted(trusted, client) && hops.length > 0) {
    const hop = bareIp(hops.pop());
    // A hop that is not an address: the proxy that received it is the last one we can vouch for.
    if (!hop) break;
    client = hop;
  }
  return client;
}
