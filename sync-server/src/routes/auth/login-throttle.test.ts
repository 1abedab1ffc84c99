import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@cr/shared';
import { startTestCloud, type TestCloud } from '../../testing/test-cloud';

let t: TestCloud;
beforeAll(async () => {
  // The cloud sits behind a reverse proxy at 10.0.0.2 (`--trust-proxy 10.0.0.0/8`).
  t = await startTestCloud({ config: { trustProxy: ['10.0.0.0/8'] } });
});
afterAll(() => t.close());

/** A sign-in arriving on a socket from `peer`, with the X-Forwarded-For it carries. */
function login(peer: string, forwardedFor: string | undefined, email: string, password: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  const init = { method: 'POST', headers, body: JSON.stringify({ email, password }) };
  return Promise.resolve(
    t.cloud.app.request('/api/v1/auth/login', init, { incoming: { socket: { remoteAddress: peer } } }),
  );
}
const PROXY = '10.0.0.2';

describe('login throttle: growing delays, no lock-out an attacker can impose', () => {
  it('1,000 wrong passwords for hq from address A: A waits longer and longer, the operator at B signs in at once', { timeout: 30_000 }, async () => {
    const A = '198.51.100.23';
    const retryAfter: number[] = [];
    let refusedWithoutHash = 0;
    for (let i = 0; i < 1000; i++) {
      const res = await login(PROXY, A, 'hq@demo.local', `guess-${i}`);
      expect([401, 429]).toContain(res.status);
      if (res.status === 429) {
        refusedWithoutHash++;
        retryAfter.push(Number(res.headers.get('retry-after')));
        // The attacker learns nothing about the account while throttled.
        expect(await res.json()).toMatchObject({ error: 'too-many-attempts' });
      }
    }
    // Only the first few attempts were checked at all; the rest were refused before any hash.
    expect(refusedWithoutHash).toBeGreaterThan(990);
    for (let i = 1; i < retryAfter.length; i++) expect(retryAfter[i]).toBeGreaterThanOrEqual(retryAfter[i - 1]! - 1);
    expect(retryAfter[retryAfter.length - 1]).toBeGreaterThan(retryAfter[0]! * 100);
    expect(retryAfter[retryAfter.length - 1]).toBeLessThanOrEqual(15 * 60);
    // Even the right password from A waits.
    expect((await login(PROXY, A, 'hq@demo.local', DEMO_PASSWORD)).status).toBe(429);

    const started = Date.now();
    const fromB = await login(PROXY, '203.0.113.9', 'hq@demo.local', DEMO_PASSWORD);
    expect(fromB.status).toBe(200);
    expect(((await fromB.json()) as { user: { email: string } }).user.email).toBe('hq@demo.local');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  // 26 password checks (scrypt): seconds on a busy 2-core machine, not a timing assertion.
  it('many addresses guessing one account do not hold back an address that has not failed on it', { timeout: 30_000 }, async () => {
    for (let i = 0; i < 25; i++)
      expect((await login(PROXY, `192.0.2.${i + 1}`, 'gangnam.manager@demo.local', 'wrong')).status).toBe(401);
    // An address that failed once waits (the account is under attack) — but briefly.
    const failedOnce = await login(PROXY, '192.0.2.1', 'gangnam.manager@demo.local', DEMO_PASSWORD);
    expect(failedOnce.status).toBe(429);
    expect(Number(failedOnce.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await login(PROXY, '203.0.113.77', 'gangnam.manager@demo.local', DEMO_PASSWORD)).status).toBe(200);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy: rotating it buys no fresh attempts', { timeout: 30_000 }, async () => {
    const attacker = '198.51.100.99';
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await login(attacker, `203.0.113.${i + 100}`, 'vendor@demo.local', `guess-${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    // The audit log names the socket's address, not the one the attacker wrote.
    const audit = (await (
      await t.api('GET', '/api/v1/audit', { token: await t.token('admin@demo.local') })
    ).json()) as Array<{ action: string; source?: string }>;
    const sources = new Set(audit.filter((a) => a.action === 'auth.login').map((a) => a.source));
    expect(sources).toContain(attacker);
    expect(sources).not.toContain('203.0.113.100');
  });
});
