import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCloud, type TestCloud } from '../testing/test-cloud';
import { CONSOLE_CSP } from './security-headers';

let t: TestCloud;
beforeAll(async () => {
  t = await startTestCloud();
  mkdirSync(join(t.dataDir, 'ui', 'assets'), { recursive: true });
  writeFileSync(join(t.dataDir, 'ui', 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(t.dataDir, 'ui', 'assets', 'app.js'), 'console.log(1)');
});
afterAll(() => t.close());

/** Directives of a CSP as name → sources. */
const directives = (csp: string) =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources.sort().join(' ')]),
  );

describe('security headers on everything the cloud serves', () => {
  it.each([
    ['the console page', 'GET', '/', undefined],
    ['a console route (SPA fallback)', 'GET', '/sites/gangnam', undefined],
    ['a console asset', 'GET', '/assets/app.js', undefined],
    ['an API answer', 'GET', '/api/v1/sites', 'hq'],
    ['a refused API call', 'GET', '/api/v1/sites', undefined],
    ['a validation error', 'POST', '/api/v1/auth/login', undefined],
    ['an unknown API path', 'GET', '/api/v1/nothing-here', 'hq'],
    ['health', 'GET', '/health', undefined],
    ['the OpenAPI document', 'GET', '/api/v1/openapi.json', undefined],
    ['the API explorer', 'GET', '/api/v1/docs', undefined],
  ] as const)('%s', async (_name, method, path, who) => {
    const token = who ? await t.token('hq@demo.local') : undefined;
    const res = await t.api(method, path, { token, ...(method === 'POST' ? { raw: '{' } : {}) });
    const h = res.headers;
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('referrer-policy')).toBe('no-referrer');
    expect(h.get('x-frame-options')).toBe('DENY');
    const csp = directives(h.get('content-security-policy') ?? '');
    // Threat: the console (or an API answer) framed by another site to trick an operator into clicks.
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('script-src') ?? csp.get('default-src')).not.toMatch(/unsafe-eval/);
  });

  it('gives the console the policy its own page declares, and API answers one that loads nothing', async () => {
    const page = await t.api('GET', '/');
    expect(await page.text()).toContain('console');
    const served = directives(page.headers.get('content-security-policy')!);
    // What the console's index.html asks for (a meta tag cannot say frame-ancestors); the header must not break it.
    const html = readFileSync(new URL('../../../desktop/src/renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    for (const [name, sources] of directives(meta!)) expect(served.get(name), name).toBe(sources);
    expect(directives(CONSOLE_CSP).get('script-src')).toBe("'self'");

    const api = directives((await t.api('GET', '/health')).headers.get('content-security-policy')!);
    expect(api.get('default-src')).toBe("'none'");
  });
});
