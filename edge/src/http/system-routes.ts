import { createRoute, z } from '@hono/zod-openapi';
import type { HttpDeps } from './http-deps';
import { lanRouter } from './lan-env';
import { healthSchema, json } from './lan-schemas';

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: 'Edge health: cloud link, site mode, outbox depth, permission cache age (CONTRACT.md §4)',
  responses: { 200: { description: 'health', ...json(healthSchema) } },
});

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['system'],
  summary: 'Prometheus metrics',
  responses: { 200: { description: 'metrics', content: { 'text/plain': { schema: z.string() } } } },
});

/** Unauthenticated by contract: supervisors and Prometheus on the LAN poll them. */
export function systemRoutes(deps: Pick<HttpDeps, 'health' | 'registry'>) {
  return lanRouter()
    .openapi(health, (c) => c.json(deps.health(), 200))
    .openapi(metrics, async (c) =>
      c.text(await deps.registry.metrics(), 200, { 'content-type': deps.registry.contentType }),
    );
}
