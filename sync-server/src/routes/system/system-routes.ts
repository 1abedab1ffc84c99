import { createRoute, z } from '@hono/zod-openapi';
import type { CloudContext } from '../../context';
import { router } from '../../http/api-types';
import { json } from '../schemas';
import { exposition } from '../../metrics';
import { scrapeAccess } from '../../http/scrape-access';

const Health = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  dependencies: z.record(z.string(), z.enum(['up', 'down'])).optional(),
});

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: 'Liveness and dependencies',
  description:
    '`{"status":"ok"}` when every dependency answers (`?detail` lists them anyway); `degraded` with the dependencies when the bus or the stream does not (the instance serves, other instances hear of its changes late); `503 down` when the store does not answer. The `X-Instance` header names the instance that answered.',
  request: { query: z.object({ detail: z.string().optional() }) },
  responses: {
    200: { description: 'serving', ...json(Health) },
    503: { description: 'the store does not answer', ...json(Health) },
  },
});

/** How long one dependency may take to answer before it counts as down. */
const PING_TIMEOUT_MS = 2_000;

async function answers(ping: () => Promise<void>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS);
  });
  try {
    await Promise.race([ping(), late]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

const metrics = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['system'],
  summary: 'Prometheus metrics',
  description:
    'Process-level metrics for every scrape; the per-site `cr_site_*` gauges only with `Authorization: Bearer <metrics token>` (`--metrics-token` / `CR_METRICS_TOKEN`).',
  responses: {
    200: { description: 'metrics', content: { 'text/plain': { schema: z.string() } } },
    401: { description: 'a wrong metrics token', content: { 'text/plain': { schema: z.string() } } },
  },
});

export function systemRoutes(ctx: CloudContext) {
  return router()
    .openapi(health, async (c) => {
      const states = await Promise.all(ctx.dependencies.map(async (d) => [d.name, await answers(d.ping)] as const));
      const dependencies = Object.fromEntries(states);
      c.header('X-Instance', ctx.instanceId);
      // A store that no longer answers makes the instance unhealthy: a balancer sends its clients elsewhere.
      if (dependencies.store !== 'up') return c.json({ status: 'down' as const, dependencies }, 503);
      if (states.some(([, s]) => s === 'down')) return c.json({ status: 'degraded' as const, dependencies }, 200);
      const detail = c.req.valid('query').detail !== undefined;
      return c.json(detail ? { status: 'ok' as const, dependencies } : { status: 'ok' as const }, 200);
    })
    .openapi(metrics, async (c) => {
      const access = scrapeAccess(c.req.header('authorization'), ctx.config.metricsToken);
      if (access === 'refused') return c.text('wrong metrics token\n', 401, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
      const text = await exposition(ctx.metrics, access === 'fleet');
      return c.text(text, 200, { 'Content-Type': ctx.metrics.registry.contentType });
    });
}
