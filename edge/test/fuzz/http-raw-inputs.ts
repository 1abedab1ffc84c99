import fc from 'fast-check';
import type { FuzzSite } from './fuzz-site';
import { httpBodies, httpPaths, type HttpInput } from './http-inputs';

/** Broken HTTP/1.1 that only a raw socket can send: request lines, header syntax, framing, truncation. */
export function rawRequests(site: FuzzSite): fc.Arbitrary<HttpInput> {
  const target = fc.oneof(
    { arbitrary: httpPaths(site), weight: 5 },
    {
      arbitrary: fc.constantFrom(
        '*',
        'http://evil.invalid/health',
        '/../../etc/passwd',
        '/sync/../health',
        '/health\u0000',
        '/he alth',
        '/\u00e9',
        '/\x7f',
        '',
        `/sync/%ZZ`,
        '/%E0%A4%A',
        `/api/v1/sites/${site.siteId}/mode%00`,
      ),
      weight: 2,
    },
  );
  const method = fc.constantFrom(
    'GET',
    'POST',
    'POST',
    'PUT',
    'OPTIONS',
    'BR@W',
    '',
    'GET GET',
    'CONNECT',
    'TRACE',
    'get',
    '\u00e9T',
  );
  const version = fc.constantFrom(
    'HTTP/1.1',
    'HTTP/1.1',
    'HTTP/1.1',
    'HTTP/1.0',
    'HTTP/2.0',
    'HTTP/1.1x',
    '',
    'HTTP/0.9',
    'http/1.1',
  );
  const header = fc.oneof(
    fc.constantFrom(...site.badTokens.slice(0, 6)).map((t) => `Authorization: Bearer ${t}`),
    fc.constantFrom(
      'Host: edge',
      'Host: a\r\nHost: b',
      'Content-Type: application/json',
      'Content-Type: text/plain',
      'Content-Length: -1',
      'Content-Length: 99999999999999999999',
      'Content-Length: 5\r\nContent-Length: 6',
      'Content-Length: abc',
      'Transfer-Encoding: chunked',
      'Transfer-Encoding: gzip, chunked',
      'Transfer-Encoding: chunked\r\nContent-Length: 3',
      'Transfer-Encoding: xchunked',
      'X-Folded: a\r\n b',
      'NoColonHere',
      'Bad Name: x',
      ': empty-name',
      'X-Nul: a\u0000b',
      'X-Cr: a\rb',
      'X-Utf8: \u00e9\u4e2d',
      'Expect: 100-continue',
      'Upgrade: h2c\r\nConnection: Upgrade',
    ),
    fc.integer({ min: 1_000, max: 120_000 }).map((n) => `X-Big: ${'b'.repeat(n)}`),
    fc.integer({ min: 50, max: 3_000 }).map((n) => Array.from({ length: n }, (_, i) => `X-H${i}: ${i}`).join('\r\n')),
  );
  const chunked = fc.constantFrom(
    '10\r\n{"mode":"norm',
    'ZZ\r\n{}\r\n0\r\n\r\n',
    '-1\r\n{}\r\n0\r\n\r\n',
    'ffffffffffffffff\r\n{}\r\n0\r\n\r\n',
    '2\r\n{}\r\n',
    '2;ext=' + 'e'.repeat(5_000) + '\r\n{}\r\n0\r\n\r\n',
    '2\r\n{}\r\n0\r\nX-Trailer: \u0000\r\n\r\n',
    '2\n{}\n0\n\n',
    '3\r\n{}\r\n0\r\n\r\n',
  );
  return fc
    .record({
      method,
      target,
      version,
      headers: fc.array(header, { maxLength: 5 }),
      body: fc.oneof(
        httpBodies.map((b) => b?.toString('latin1') ?? ''),
        chunked,
      ),
      lf: fc.boolean(),
      cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined, freq: 3 }),
      split: fc.integer({ min: 1, max: 4 }),
    })
    .map((r) => {
      const eol = r.lf ? '\n' : '\r\n';
      const head = [`${r.method} ${r.target} ${r.version}`.trimEnd(), ...r.headers];
      // A complete request asks the server to close, so the fuzz need not wait for its keep-alive.
      if (r.cut === undefined) head.push('Connection: close');
      const text = `${head.join(eol)}${eol}${eol}${r.body}`;
      const bytes = Buffer.from(text, 'latin1');
      const end = r.cut === undefined ? bytes.length : Math.floor(bytes.length * r.cut);
      const cutBytes = bytes.subarray(0, end);
      const step = Math.ceil(cutBytes.length / r.split) || 1;
      const chunks: Buffer[] = [];
      for (let i = 0; i < cutBytes.length; i += step) chunks.push(cutBytes.subarray(i, i + step));
      return {
        via: 'raw' as const,
        kind: r.cut === undefined ? 'raw' : 'raw-truncated',
        chunks,
        complete: r.cut === undefined,
      };
    });
}
