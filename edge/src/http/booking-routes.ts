import { createRoute, z } from '@hono/zod-openapi';
import { BOOKING_STATES } from '@cr/shared';
import type { HttpDeps } from './http-deps';
import { mustAllow, requirePerson } from './lan-auth';
import { bearer, errors, lanRouter } from './lan-env';
import { json } from './lan-schemas';

const bookingView = z
  .object({
    id: z.string(),
    resourceId: z.string(),
    zoneId: z.string(),
    memberId: z.string(),
    start: z.number().int(),
    end: z.number().int(),
    state: z.enum(BOOKING_STATES),
    checkedInAt: z.number().int().optional(),
    releasedAt: z.number().int().optional(),
    graceMs: z.number().int(),
    earlyMs: z.number().int(),
    releaseWhenEmptyMs: z.number().int().optional(),
  })
  .openapi('EdgeBooking');

/** `GET /api/v1/bookings`: the bookings this edge holds, each in the state the edge gives it now. */
export function bookingRoutes(deps: Pick<HttpDeps, 'siteId' | 'tenantId' | 'verifier' | 'bookings'>) {
  const person = requirePerson(deps);
  const list = createRoute({
    method: 'get',
    path: '/api/v1/bookings',
    tags: ['bookings'],
    summary: "Bookings of this site's resources the edge holds (running and upcoming), with their state as the edge sees it (not for vendors)",
    security: bearer,
    middleware: [person] as const,
    responses: { 200: { description: 'bookings', ...json(z.array(bookingView)) }, ...errors(401, 403, 503) },
  });
  return lanRouter().openapi(list, (c) => {
    // Who booked which room is the site's business: the same right as reading the site.
    mustAllow(c.get('user'), deps.tenantId, { type: 'site.read', siteId: deps.siteId });
    return c.json(deps.bookings(), 200);
  });
}
