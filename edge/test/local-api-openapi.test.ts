import { describe, expect, it } from 'vitest';
import { startScenario } from './support/scenario';
import { localApi, type HttpDeps } from '../src/http/routes';

describe('the OpenAPI document of the LAN API', () => {
  const routes = [
    ['get', '/health'],
    ['get', '/metrics'],
    ['get', '/api/v1/site'],
    ['post', '/api/v1/sites/{siteId}/doors/{doorId}/commands'],
    ['post', '/api/v1/sites/{siteId}/mode'],
    ['get', '/api/v1/commands/{id}'],
    ['get', '/api/v1/sites/{siteId}/devices'],
    ['post', '/api/v1/sites/{siteId}/devices/{deviceId}/approve'],
    ['post', '/api/v1/sites/{siteId}/commissioning'],
    ['get', '/api/v1/bookings'],
  ] as const;
  const listed = (doc: { paths: Record<string, Record<string, unknown>> }) =>
    Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));

  it('is served without a token by a running edge and lists every route', async () => {
    const s = await startScenario({ cloud: false });
    try {
      const res = await fetch(`${s.edge.httpUrl}/api/v1/openapi.json`);
      expect(res.status).toBe(200);
      expect(listed((await res.json()) as never).sort()).toEqual(routes.map(([m, p]) => `${m} ${p}`).sort());
    } finally {
      await s.close();
    }
  });

  it('lists the test control only on an edge started with --test-controls', async () => {
    const deps = { siteId: 'x', tenantId: 'demo', testControls: true } as HttpDeps;
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const doc = (await (await localApi(deps, log).request('/api/v1/openapi.json')).json()) as never;
    expect(listed(doc)).toContain('post /api/v1/link');
    expect(listed(doc)).toHaveLength(routes.length + 1);
  });
});
