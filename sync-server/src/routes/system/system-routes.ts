import { createRoute, z } from '@hono/zod-openapi';
import type { CloudContext } from '../../context';
import { router } from '../../http/api-types';
import { json } from '../schemas';

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
  responses: { 200: { description: 'metrics', content: { 'text/plain': { schema: z.string() } } } },
});

export function systemRoutes(ctx: CloudContext) {
  return router()
    .openapi(health, (c) => {
      // A database that no longer answers is not healthy.
      ctx.db.prepare('SELECT 1').get();
      return c.json({ status: 'ok' as const }, 200);
    })
    .openapi(metrics, async (c) => {
      return c.text(await ctx.metrics.registry.metrics(), 200, { 'Content-Type': ctx.metrics.registry.contentType });
    });
}
