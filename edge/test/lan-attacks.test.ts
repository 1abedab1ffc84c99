import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isErrorEntry, logEntries, parseLogLine } from '@cr/demo/log-lines';
import { spawnEdge, type ChildEdge } from './support/child-edge';
import { tempDir, uniqueSite } from './support/test-edge';

/** `end`: half-close after writing; `reset`: vanish right after writing (no answer expected). */
interface Opts {
  end?: boolean;
  reset?: boolean;
  waitMs?: number;
}

/** Writes raw bytes to the edge's HTTP port (optionally ending the socket) and returns what came back. */
function raw(httpUrl: string, bytes: string | Buffer, opts: Opts = {}): Promise<string> {
  const { port, hostname } = new URL(httpUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let got = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, opts.waitMs ?? 2_000);
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('close', done);
    socket.on('error', done);
    socket.write(bytes, () => (opts.reset ? done() : opts.end && socket.end()));
  });
}

const upgrade = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: edge\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;

/** The attacks a laptop on the site LAN can send without any credential. */
const chunkedHead =
  'POST /api/v1/sites/x/mode HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
const attacks: Array<[string, string | Buffer, RegExp, Opts?]> = [
  ['a WebSocket upgrade to /sync/%ZZ', upgrade('/sync/%ZZ'), /^HTTP\/1\.1 400 /],
  ['a WebSocket upgrade to a truncated UTF-8 escape', upgrade('/sync/%E0%A4%A'), /^HTTP\/1\.1 400 /],
  ['a WebSocket upgrade to an unknown path', upgrade('/nowhere'), /^HTTP\/1\.1 404 /],
  [
    'a WebSocket upgrade without a key',
    'GET /sync/x HTTP/1.1\r\nHost: edge\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
    /^HTTP\/1\.1 400 /,
  ],
  [
    'a POST to a malformed site id escape',
    'POST /api/v1/sites/%ZZ/mode HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
    /^HTTP\/1\.1 400 /,
  ],
  [
    'a GET of a malformed command id escape',
    'GET /api/v1/commands/%E0%A4%A HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n',
    /^HTTP\/1\.1 400 /,
  ],
  [
    'a header with a huge value',
    `GET /health HTTP/1.1\r\nHost: edge\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`,
    /^HTTP\/1\.1 431 /,
  ],
  ['an invalid method', 'BR@W /health HTTP/1.1\r\nHost: edge\r\n\r\n', /^HTTP\/1\.1 400 /],
  ['an unknown method', 'PURGE /health HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n', /^HTTP\/1\.1 404 /],
  [
    'a Host header no URL can be built from',
    'GET /health HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n',
    /^HTTP\/1\.1 400 /,
  ],
  ['a request line that is not HTTP', '\x00\x01\x02 garbage\r\n\r\n', /^HTTP\/1\.1 400 /],
  ['a truncated chunked body', `${chunkedHead}10\r\n{"mode":"norm`, /^HTTP\/1\.1 400 /, { end: true }],
  ['a truncated chunked body and a vanished client', `${chunkedHead}10\r\n{"mode":"norm`, /^$/, { reset: true }],
  ['a chunked body with a bad chunk size', `${chunkedHead}ZZ\r\n{}\r\n0\r\n\r\n`, /^HTTP\/1\.1 400 /],
];

describe('a real edge process under attack from the site LAN', () => {
  let edge: ChildEdge;
  const siteId = uniqueSite('atk');
  beforeAll(async () => {
    edge = await spawnEdge(['--site', siteId, '--mqtt-port', '0', '--http-port', '0', '--data', tempDir(), '--quiet']);
  });
  afterAll(async () => {
    if (edge.proc.exitCode === null && edge.proc.signalCode === null) {
      edge.proc.kill('SIGTERM');
      await edge.exited;
    }
  });

  it.each(attacks)(
    'survives %s, answers it with a refusal, and still serves /health',
    async (_name, bytes, reply, opts) => {
      const answer = await raw(edge.httpUrl, bytes, opts);
      // First the gateway must still be up: a crash here would lock every reader of the site out of its decisions.
      const health = await fetch(`${edge.httpUrl}/health`).catch((err: Error) => err);
      expect(
        health instanceof Response
          ? health.status
          : `${health.message}; edge stderr: ${edge.stderr.join('').slice(-600)}`,
      ).toBe(200);
      expect(((await (health as Response).json()) as { siteId: string }).siteId).toMatch(/^atk-/);
      expect(edge.proc.exitCode).toBeNull();
      // …and the attack itself was refused, not half-served.
      expect(answer).toMatch(reply);
    },
  );

  it('still answers a valid request after all of them', async () => {
    for (const [, bytes, , opts] of attacks) await raw(edge.httpUrl, bytes, { ...opts, waitMs: 500 });
    const res = await fetch(`${edge.httpUrl}/api/v1/site`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: expect.any(String) });
    const metrics = await (await fetch(`${edge.httpUrl}/metrics`)).text();
    expect(metrics).not.toMatch(/^edge_uncaught_errors_total\{[^}]*\} [1-9]/m);
    // The sync upgrade path still works: a real WebSocket is accepted, then closed for want of a token.
    const ws = new WebSocket(`${edge.httpUrl.replace('http', 'ws')}/sync/site:demo:${siteId}`);
    expect(await new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))).toBe(4401);
    // Bad input is not a bug: nothing was logged as an internal error or an uncaught fault.
    const lines = edge.stderr.join('').split('\n').filter(Boolean);
    expect(
      lines.filter((l) => !parseLogLine(l)),
      'everything on stderr is a log entry',
    ).toEqual([]);
    expect(
      logEntries(lines).filter((e) => isErrorEntry(e) || /uncaught|unhandled|internal error/i.test(e.msg)),
    ).toEqual([]);
  });
});
