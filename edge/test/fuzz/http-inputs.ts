import fc from 'fast-check';
import { PROBE, type FuzzSite } from './fuzz-site';
import { bigPayload, hostileJson, nastyString, type BigShape } from './payloads';

/** A request sent with fetch (well-formed HTTP, odd content) or written raw (broken HTTP). */
export type HttpInput =
  | { via: 'fetch'; kind: string; method: string; path: string; headers: Record<string, string>; body?: Buffer }
  | { via: 'raw'; kind: string; chunks: Buffer[]; complete: boolean };

/** Drops control characters, which fetch refuses to put in a header. */
const printable = (s: string): string => [...s].filter((c) => c.charCodeAt(0) >= 0x20 && c !== '\x7f').join('');

const ESCAPES = [
  '%ZZ',
  '%E0%A4%A',
  '%00',
  '%2F',
  '%2e%2e',
  '..',
  '.',
  '',
  '%',
  '%%',
  '%C0%AF',
  '%F0%9F%98',
  '%u0041',
  '%FF',
  '🔥',
  '\\',
  'a'.repeat(300),
];

/** Paths of the LAN API with each segment possibly broken. */
export function httpPaths(site: FuzzSite): fc.Arbitrary<string> {
  const segment = fc.oneof(
    { arbitrary: fc.constantFrom(site.siteId, PROBE.doorId, 'x', ...ESCAPES), weight: 4 },
    { arbitrary: fc.webSegment(), weight: 1 },
    {
      arbitrary: nastyString.map((s) => encodeURIComponent(s.slice(0, 200).replace(/[\ud800-\udfff]/g, '\ufffd'))),
      weight: 1,
    },
  );
  return fc.oneof(
    fc.constantFrom(
      '/health',
      '/metrics',
      '/api/v1/site',
      '/',
      '/api/v1/link',
      '/sync',
      '/api/v1/openapi.json',
      '/health/',
      '//health',
      '/HEALTH',
      '/health?x=%ZZ',
      '/health#x',
    ),
    fc.tuple(segment, segment).map(([a, b]) => `/api/v1/sites/${a}/doors/${b}/commands`),
    segment.map((a) => `/api/v1/sites/${a}/mode`),
    segment.map((a) => `/api/v1/commands/${a}`),
    fc.array(segment, { maxLength: 8 }).map((s) => `/${s.join('/')}`),
    fc.integer({ min: 1_000, max: 100_000 }).map((n) => `/${'a'.repeat(n)}`),
    fc.tuple(fc.constantFrom('/health', '/api/v1/site'), fc.webQueryParameters()).map(([p, q]) => `${p}?${q}`),
  );
}

function authHeaders(site: FuzzSite): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(...site.badTokens).map((t) => `Bearer ${t}`),
    fc.constantFrom(
      'Bearer',
      'Bearer ',
      'bearer x',
      'Basic YWRtaW46YWRtaW4=',
      'Bearer a.b.c',
      'Bearer ..',
      `Bearer ${'a'.repeat(20_000)}`,
      'Bearer eyJhbGciOiJub25lIn0.eyJ0eXAiOiJhY2Nlc3MifQ.',
    ),
  );
}

/** Bodies: commands that would move doors if a bad token were accepted, broken JSON, deep JSON, huge bodies. */
export const httpBodies: fc.Arbitrary<Buffer | undefined> = fc.oneof(
  fc.constant(undefined),
  fc
    .constantFrom(
      { action: 'unlock', reason: 'fuzz' },
      { action: 'pulse-unlock', reason: 'fuzz', durationMs: 5000 },
      { mode: 'emergency-unlock', reason: 'fuzz' },
      { mode: 'lockdown', reason: 'fuzz' },
      { connected: false },
    )
    .map((b) => Buffer.from(JSON.stringify(b))),
  fc
    .oneof(
      hostileJson,
      nastyString,
      fc.jsonValue().map((v) => JSON.stringify(v)),
    )
    .map((s) => Buffer.from(s)),
  fc
    .constantFrom('{"action":', '{"mode":"lockdown"', '\u0000', '{"action":"unlock","reason":"x"}garbage')
    .map((s) => Buffer.from(s)),
  fc.integer({ min: 100, max: 100_000 }).map((d) => Buffer.from(`${'['.repeat(d)}${']'.repeat(d)}`)),
  fc
    .tuple(
      fc.constantFrom<BigShape>('bytes', 'json-string', 'spaces'),
      fc.integer({ min: 16 * 1024, max: 2 * 1024 * 1024 }),
      fc.nat(),
    )
    .map(([shape, size, seed]) => bigPayload(shape, size, seed)),
);

/** Well-formed HTTP carrying odd methods, paths, headers and bodies (fetch refuses to send broken HTTP). */
export function fetchRequests(site: FuzzSite): fc.Arbitrary<HttpInput> {
  return fc
    .record({
      method: fc.constantFrom(
        'GET',
        'POST',
        'POST',
        'POST',
        'PUT',
        'DELETE',
        'PATCH',
        'OPTIONS',
        'HEAD',
        'PURGE',
        'get',
        'post',
        'M-SEARCH',
        'PROPFIND',
        'X'.repeat(50),
      ),
      path: httpPaths(site),
      auth: authHeaders(site),
      contentType: fc.option(
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/json; charset=utf-16',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded',
          '*/*',
          ';;;',
        ),
        { nil: undefined },
      ),
      extra: fc.dictionary(
        fc.constantFrom('x-fz', 'origin', 'x-forwarded-for', 'content-encoding', 'accept', 'cookie', 'range', 'expect'),
        fc.oneof(
          fc.string({ unit: 'binary-ascii', maxLength: 50 }).map(printable),
          fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'h'.repeat(n)),
        ),
        { maxKeys: 3 },
      ),
      body: httpBodies,
    })
    .map((r) => {
      const headers: Record<string, string> = { ...r.extra };
      if (headers.expect !== undefined) delete headers.expect; // fetch refuses Expect
      if (r.auth !== undefined) headers.authorization = r.auth;
      if (r.contentType !== undefined) headers['content-type'] = r.contentType;
      const noBody = /^(GET|HEAD)$/i.test(r.method);
      return {
        via: 'fetch' as const,
        kind: 'fetch',
        method: r.method,
        path: r.path,
        headers,
        body: noBody ? undefined : r.body,
      };
    });
}
