import { createRoute, z } from '@hono/zod-openapi';
import type { CloudContext } from '../../context';
import { router } from '../../http/api-types';
import { json } from '../schemas';
import { exposition } from '../../metrics';
import { scrapeAccess } from '../../http/scrape-access';

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: 'Liveness',
  responses: { 200: { description: 'ok', ...json(z.object({ status: z.literal('ok') })) } },
});

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
      // A database that no longer answers is not healthy.
      await ctx.stores.ping();
      return c.json({ status: 'ok' as const }, 200);
    })
    .openapi(metrics, async (c) => {
      const access = scrapeAccess(c.req.header('authorization'), ctx.config.metricsToken);
      if (access === 'refused') return c.text('wrong metrics token\n', 401, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
      const text = await exposition(ctx.metrics, access === 'fleet');
      return c.text(text, 200, { 'Content-Type': ctx.metrics.registry.contentType });
    });
}
