import fc from 'fast-check';
import type { FuzzSite } from './fuzz-site';
import { wsFrames } from './ws-frames';

/** One upgrade to the LAN sync endpoint and the frames sent after it. */
export interface WsInput {
  kind: string;
  /** the upgrade request, bytes as sent */
  request: Buffer;
  path: string;
  frames: Buffer[];
  /** how the client leaves: reset, a clean close frame, or a half-close */
  leave: 'abrupt' | 'close-frame' | 'end';
}

const ESCAPES = ['%ZZ', '%E0%A4%A', '%', '%00', '%2F', '%2e%2e', '..', '%C0%AF', '%FF%FE', '🔥', '\u0000', ''];

/** Document names, right and wrong, escaped and broken. */
function docNames(site: FuzzSite): fc.Arbitrary<string> {
  const [, tenant, id] = site.docName.split(':') as [string, string, string];
  return fc.oneof(
    { arbitrary: fc.constantFrom(site.docName, encodeURIComponent(site.docName)), weight: 5 },
    {
      arbitrary: fc.constantFrom(
        `site:other:${id}`,
        `site:${tenant}:other`,
        `tenant:${tenant}`,
        `vendor:${tenant}:u1`,
        `site:${tenant}:${id}:x`,
        `SITE:${tenant}:${id}`,
      ),
      weight: 2,
    },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...ESCAPES), fc.constantFrom('', site.docName, 'x'))
        .map(([e, rest]) => `${e}${rest}`),
      weight: 3,
    },
    { arbitrary: fc.integer({ min: 1_000, max: 60_000 }).map((n) => 'd'.repeat(n)), weight: 1 },
    {
      arbitrary: fc
        .string({ unit: 'grapheme', maxLength: 30 })
        .map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'))),
      weight: 1,
    },
  );
}

function tokens(site: FuzzSite): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.constantFrom(...site.badTokens), weight: 2 },
    ...(site.docTokens.length ? [{ arbitrary: fc.constantFrom(...site.docTokens), weight: 3 }] : []),
    { arbitrary: fc.constantFrom('', '%ZZ', 'a&token=b', 'x'.repeat(10_000)), weight: 1 },
  );
}

/** Upgrades to `/sync/…` with odd paths, tokens and handshakes, then frames. */
export function wsInputs(site: FuzzSite): fc.Arbitrary<WsInput> {
  return fc
    .record({
      prefix: fc.oneof(
        { arbitrary: fc.constant('/sync/'), weight: 12 },
        { arbitrary: fc.constantFrom('/sync', '/sync//', '/SYNC/', '/sync/../sync/', '/syncx/', '/'), weight: 3 },
      ),
      doc: docNames(site),
      token: tokens(site),
      inHeader: fc.boolean(),
      key: fc.oneof(
        { arbitrary: fc.constant('dGhlIHNhbXBsZSBub25jZQ=='), weight: 10 },
        { arbitrary: fc.constantFrom('', 'short', undefined), weight: 1 },
      ),
      version: fc.oneof(
        { arbitrary: fc.constant('13'), weight: 10 },
        { arbitrary: fc.constantFrom('8', '99', 'x'), weight: 1 },
      ),
      frames: fc.array(wsFrames, { maxLength: 6 }),
      leave: fc.constantFrom<WsInput['leave']>('abrupt', 'close-frame', 'end'),
    })
    .map((r) => {
      const query = r.token !== undefined && !r.inHeader ? `?token=${r.token}` : '';
      const path = `${r.prefix}${r.doc}${query}`;
      const lines = [
        `GET ${path} HTTP/1.1`,
        'Host: edge',
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Version: ${r.version}`,
      ];
      if (r.key !== undefined) lines.push(`Sec-WebSocket-Key: ${r.key}`);
      if (r.token !== undefined && r.inHeader) lines.push(`Authorization: Bearer ${r.token}`);
      return {
        kind: r.prefix === '/sync/' ? 'sync' : 'odd-prefix',
        request: Buffer.from(`${lines.join('\r\n')}\r\n\r\n`),
        path,
        frames: r.frames,
        leave: r.leave,
      };
    });
}
