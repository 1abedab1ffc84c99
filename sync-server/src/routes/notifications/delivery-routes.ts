import { createRoute, z } from '@hono/zod-openapi';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { json } from '../schemas';
import { deliveryView, recordIdParam } from './notification-schemas';

const tags = ['notifications'];
const alertIdSchema = z.string().min(1).max(256);

const ofAlert = createRoute({
  method: 'get',
  path: '/api/v1/alerts/{alertId}/deliveries',
  tags,
  summary:
    'Delivery log of an alert: each notification, its channel, when queued, every attempt (time, status code or error), when delivered (HQ, tenant-admin; site managers for their sites)',
  security: bearer,
  request: { params: z.object({ alertId: alertIdSchema.openapi({ param: { name: 'alertId', in: 'path' } }) }) },
  responses: { 200: { description: 'deliveries', ...json(z.array(deliveryView)) }, ...errors(400, 401, 403) },
});

const byQuery = createRoute({
  method: 'get',
  path: '/api/v1/notifications/deliveries',
  tags,
  summary: 'The same delivery log, the alert named in the query',
  security: bearer,
  request: { query: z.strictObject({ alertId: alertIdSchema }) },
  responses: { 200: { description: 'deliveries', ...json(z.array(deliveryView)) }, ...errors(400, 401, 403) },
});

const deadLetters = createRoute({
  method: 'get',
  path: '/api/v1/notifications/dead-letters',
  tags,
  summary: 'Notifications given up after their retry window, newest first (HQ, tenant-admin; site managers for their sites)',
  security: bearer,
  responses: { 200: { description: 'dead letters', ...json(z.array(deliveryView)) }, ...errors(401, 403) },
});

const retry = createRoute({
  method: 'post',
  path: '/api/v1/notifications/dead-letters/{id}/retry',
  tags,
  summary: 'Put a dead letter back in the outbox with a new retry window, the same Idempotency-Key (tenant-admin)',
  security: bearer,
  request: { params: z.object({ id: recordIdParam('id') }) },
  responses: { 202: { description: 'queued again', ...json(z.object({ id: z.string(), status: z.literal('pending') })) }, ...errors(400, 401, 403, 404) },
});

/** The delivery log and dead letters of alert notifications. */
export function deliveryRoutes(ctx: CloudContext) {
  const log = ctx.notifications.log;
  return router()
    .openapi(ofAlert, async (c) => c.json(await log.ofAlert(c.get('user'), c.req.valid('param').alertId), 200))
    .openapi(byQuery, async (c) => c.json(await log.ofAlert(c.get('user'), c.req.valid('query').alertId), 200))
    .openapi(deadLetters, async (c) => c.json(await log.deadLetters(c.get('user')), 200))
    .openapi(retry, async (c) => {
      const { id } = c.req.valid('param');
      await log.retry(c.get('user'), id, c.get('source'));
      return c.json({ id, status: 'pending' as const }, 202);
    });
}
