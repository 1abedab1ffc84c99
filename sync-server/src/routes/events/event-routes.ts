import { createRoute, z } from '@hono/zod-openapi';
import { eventTypeSchema } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { idParam, json, msQuery } from '../schemas';
import { siteFor } from '../site-access';
import { badRequest } from '../../domain/errors';

const eventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    ts: z.number(),
    deviceId: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('Event');

const query = z.strictObject({
  type: eventTypeSchema.optional(),
  from: msQuery.optional(),
  to: msQuery.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
});

const list = createRoute({
  method: 'get',
  path: '/api/v1/sites/{siteId}/events',
  tags: ['events'],
  summary: 'Device events and access decisions of a site, newest first, each exactly once',
  security: bearer,
  request: { params: z.object({ siteId: idParam('siteId') }), query },
  responses: {
    200: {
      description: 'a page of events',
      ...json(z.object({ items: z.array(eventSchema), nextCursor: z.string().optional() })),
    },
    ...errors(400, 401, 403, 404),
  },
});

const cursorSchema = z.object({ ts: z.number().int(), id: z.string().max(64) });

function decodeCursor(cursor: string): { ts: number; id: string } {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw badRequest('cursor: not a cursor returned by this API');
  }
}

const encodeCursor = (e: { ts: number; id: string }): string =>
  Buffer.from(JSON.stringify({ ts: e.ts, id: e.id })).toString('base64url');

export function eventRoutes(ctx: CloudContext) {
  return router().openapi(list, async (c) => {
    const user = c.get('user');
    const { siteId } = c.req.valid('param');
    const q = c.req.valid('query');
    await siteFor(ctx, user, siteId, { type: 'events.read', siteId });
    const items = await ctx.events.page({
      tenantId: user.tenantId,
      siteId,
      type: q.type,
      from: q.from,
      to: q.to,
      limit: q.limit + 1,
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
    });
    const page = items.slice(0, q.limit);
    const last = page.at(-1);
    return c.json({ items: page, ...(items.length > q.limit && last ? { nextCursor: encodeCursor(last) } : {}) }, 200);
  });
}
