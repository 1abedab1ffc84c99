import { createRoute, z } from '@hono/zod-openapi';
import { DAY_MS } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errorSchema, errors, router } from '../../http/api-types';
import { badRequest } from '../../domain/errors';
import { personOf } from '../../domain/booking/booking-service';
import { json } from '../schemas';
import { siteFor } from '../site-access';
import { bookingFor } from './booking-access';
import {
  bookingBody,
  bookingParams,
  bookingSchema,
  conflictErrorSchema,
  moveBody,
  rangeQuery,
  seriesOutcomeSchema,
  siteParams,
  viewBooking,
} from './booking-schemas';

const tags = ['bookings'];
const MAX_LIST_RANGE_MS = 93 * DAY_MS;
const conflict = { 409: { description: 'the slot is held by another booking (named in `conflict`)', ...json(conflictErrorSchema) } };

const create = createRoute({
  method: 'post',
  path: '/api/v1/sites/{siteId}/bookings',
  tags,
  summary:
    'Book a resource for a member (hq-operator, tenant-admin, site-manager of the site); with `recurrence` a series, expanded in the site’s time zone, whose clashing or skipped occurrences are listed in `conflicts`',
  security: bearer,
  request: { params: siteParams, body: { ...json(bookingBody), required: true } },
  responses: {
    201: { description: 'booked (a booking, or a series)', ...json(z.union([bookingSchema, seriesOutcomeSchema])) },
    ...errors(400, 401, 403, 404),
    ...conflict,
  },
});

const list = createRoute({
  method: 'get',
  path: '/api/v1/sites/{siteId}/bookings',
  tags,
  summary: 'Bookings of a site overlapping [from, to) (default: the next 7 days), for the timeline',
  security: bearer,
  request: {
    params: siteParams,
    query: z.strictObject({ ...rangeQuery, resourceId: z.string().max(64).optional(), memberId: z.string().max(64).optional() }),
  },
  responses: { 200: { description: 'bookings', ...json(z.array(bookingSchema)) }, ...errors(400, 401, 403, 404) },
});

const read = createRoute({
  method: 'get',
  path: '/api/v1/bookings/{id}',
  tags,
  summary: 'A booking and its state (`cancelReason: superseded` when a late check-in of another booking won the slot back)',
  security: bearer,
  request: { params: bookingParams },
  responses: { 200: { description: 'booking', ...json(bookingSchema) }, ...errors(400, 401, 403, 404) },
});

const move = createRoute({
  method: 'patch',
  path: '/api/v1/bookings/{id}',
  tags,
  summary: 'Move a booking to another time or resource of its site (409 naming the clash)',
  security: bearer,
  request: { params: bookingParams, body: { ...json(moveBody), required: true } },
  responses: { 200: { description: 'moved', ...json(bookingSchema) }, ...errors(400, 401, 403, 404), ...conflict },
});

const cancel = createRoute({
  method: 'delete',
  path: '/api/v1/bookings/{id}',
  tags,
  summary: 'Cancel a booking; `series=future` cancels it and every later occurrence of its series',
  security: bearer,
  request: { params: bookingParams, query: z.strictObject({ series: z.enum(['future']).optional() }) },
  responses: {
    200: { description: 'cancelled', ...json(z.object({ cancelled: z.array(bookingSchema) })) },
    ...errors(400, 401, 403, 404),
    409: { description: 'already over or cancelled', ...json(errorSchema) },
  },
});

const checkIn = createRoute({
  method: 'post',
  path: '/api/v1/bookings/{id}/check-in',
  tags,
  summary: 'Check the member in from the console (from shortly before the start until the end of the grace)',
  security: bearer,
  request: { params: bookingParams },
  responses: { 200: { description: 'checked in', ...json(bookingSchema) }, ...errors(400, 401, 403, 404, 409) },
});

/** CONTRACT.md §8: bookings — made and changed online, refused on a clash. */
export function bookingRoutes(ctx: CloudContext) {
  const svc = ctx.bookings.service;
  return router()
    .openapi(create, async (c) => {
      const user = c.get('user');
      const { siteId } = c.req.valid('param');
      const site = await siteFor(ctx, user, siteId, { type: 'bookings.manage', siteId });
      const body = c.req.valid('json');
      if (body.recurrence) {
        const out = await ctx.bookings.series.create(user, site, { ...body, recurrence: body.recurrence }, c.get('source'));
        return c.json({ seriesId: out.seriesId, created: out.created.map(viewBooking), conflicts: out.conflicts }, 201);
      }
      return c.json(viewBooking(await svc.create(user, site, body, c.get('source'))), 201);
    })
    .openapi(list, async (c) => {
      const { siteId } = c.req.valid('param');
      const site = await siteFor(ctx, c.get('user'), siteId, { type: 'bookings.read', siteId });
      const q = c.req.valid('query');
      const from = q.from ?? Date.now() - DAY_MS;
      const to = q.to ?? from + 7 * DAY_MS;
      if (to <= from) throw badRequest('to: must be after from');
      if (to - from > MAX_LIST_RANGE_MS) throw badRequest('to: at most 93 days after from');
      const items = await ctx.stores.bookings.list({ tenantId: site.tenantId, siteId, from, to, resourceId: q.resourceId, memberId: q.memberId });
      return c.json(items.map(viewBooking), 200);
    })
    .openapi(read, async (c) => {
      const { booking } = await bookingFor(ctx, c.get('user'), c.req.valid('param').id, 'bookings.read');
      return c.json(viewBooking(booking), 200);
    })
    .openapi(move, async (c) => {
      const user = c.get('user');
      const { booking, site } = await bookingFor(ctx, user, c.req.valid('param').id, 'bookings.manage');
      return c.json(viewBooking(await svc.move(user, site, booking, c.req.valid('json'), c.get('source'))), 200);
    })
    .openapi(cancel, async (c) => {
      const user = c.get('user');
      const { booking } = await bookingFor(ctx, user, c.req.valid('param').id, 'bookings.manage');
      if (c.req.valid('query').series === 'future') {
        const cancelled = await ctx.bookings.series.cancelFuture(user, booking, c.get('source'));
        return c.json({ cancelled: cancelled.map(viewBooking) }, 200);
      }
      return c.json({ cancelled: [viewBooking(await svc.cancel(booking, personOf(user, c.get('source'))))] }, 200);
    })
    .openapi(checkIn, async (c) => {
      const user = c.get('user');
      const { booking } = await bookingFor(ctx, user, c.req.valid('param').id, 'bookings.manage');
      return c.json(viewBooking(await svc.checkIn(user, booking, c.get('source'))), 200);
    });
}
