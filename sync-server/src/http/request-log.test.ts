import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@cr/shared';
import { createCloudLog } from '../log';
import { startTestCloud, type TestCloud } from '../testing/test-cloud';
import type { ApiEnv } from './api-types';
import { handleError } from './error-handler';
import { requestIdFor, requestLog } from './request-log';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A cloud logger writing JSON lines to memory. */
function memoryLog() {
  const written: string[] = [];
  const log = createCloudLog({ level: 'info', destination: { write: (s: string) => void written.push(s) } });
  const entries = () => written.map((s) => JSON.parse(s) as Record<string, unknown>);
  return { log, written, entries, access: () => entries().filter((e) => e.msg === 'request') };
}

let t: TestCloud;
let logged: ReturnType<typeof memoryLog>;
beforeAll(async () => {
  logged = memoryLog();
  t = await startTestCloud({ log: logged.log });
});
afterAll(() => t.close());

describe('request ids and the access log', () => {
  it('gives a request an X-Request-Id and writes one access line with it, the user, and no query string', async () => {
    const token = await t.token('hq@demo.local');
    const before = logged.access().length;
    const res = await t.api('GET', '/api/v1/sites?token=secret-in-the-query&x=1', { token });
    expect(res.status).toBe(200);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    const lines = logged.access().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      time: expect.any(String),
      requestId: id,
      method: 'GET',
      path: '/api/v1/sites',
      status: 200,
      ms: expect.any(Number),
      userId: expect.any(String),
      tenantId: 'demo',
    });
    const all = logged.written.join('');
    expect(all).not.toContain('secret-in-the-query');
    // Neither the login's password nor any token issued reaches the log.
    expect(all).not.toContain(DEMO_PASSWORD);
    expect(all).not.toContain(token);
  });

  it('logs a refused request without a user, and keeps a safe incoming id', async () => {
    const res = await t.api('GET', '/api/v1/sites', { headers: { 'X-Request-Id': 'lb-7f3a.42:retry_1' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBe('lb-7f3a.42:retry_1');
    const line = logged.access().find((e) => e.requestId === 'lb-7f3a.42:retry_1');
    expect(line).toMatchObject({ status: 401, path: '/api/v1/sites' });
    expect(line).not.toHaveProperty('userId');
  });

  it.each([
    ['500 characters', 'a'.repeat(500)],
    ['markup', '<script>alert(1)</script>'],
    ['spaces and quotes', 'id "with" spaces'],
    ['a path', '../../etc/passwd'],
  ])('replaces an incoming id with %s', async (_name, incoming) => {
    const res = await t.api('GET', '/health', { headers: { 'X-Request-Id': incoming } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    expect(logged.access().find((e) => e.requestId === id)).toMatchObject({ path: '/health', status: 200 });
    expect(logged.written.join('')).not.toContain(incoming);
  });

  it.each([
    ['a newline (a forged second log line)', 'abc\n{"level":"info","msg":"forged"}'],
    ['a carriage return', 'abc\rdef'],
    ['nothing', ''],
    ['129 characters', 'b'.repeat(129)],
    ['a leading dash', '-abc'],
    ['non-ASCII', 'ïd'],
  ])('never keeps an id with %s', (_name, incoming) => {
    expect(requestIdFor(incoming)).toMatch(UUID);
  });

  it.each([
    ['a UUID', '0b5c7d2e-4f1a-4c3b-9a8d-2e6f1b3c4d5e'],
    ['a load balancer id', 'Root=1-67891233-abcdef012345678912345678'],
    ['128 characters', 'c'.repeat(128)],
  ])('keeps %s', (_name, incoming) => {
    expect(requestIdFor(incoming)).toBe(incoming);
  });

  it('answers a crash with 500 and the request id, and logs the stack under that id', async () => {
    const mem = memoryLog();
    const app = new Hono<ApiEnv>();
    app.onError(handleError(mem.log));
    app.use('*', requestLog(mem.log));
    app.get('/boom', () => {
      throw new Error('kaboom');
    });
    const res = await app.request('/boom?token=abc', { headers: { 'X-Request-Id': 'trace-1' } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'server-error', message: 'internal error' });
    expect(res.headers.get('x-request-id')).toBe('trace-1');
    const [crash, access] = mem.entries();
    expect(crash).toMatchObject({
      level: 'error',
      requestId: 'trace-1',
      msg: 'unexpected error on GET /boom',
      err: { message: 'kaboom', stack: expect.stringContaining('kaboom') },
    });
    expect(access).toMatchObject({ level: 'error', requestId: 'trace-1', path: '/boom', status: 500, msg: 'request' });
  });
});
