import { createRoute, z } from '@hono/zod-openapi';
import { DAY_MS, ID_PATTERN } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { badRequest, notFound } from '../../domain/errors';
import { bookingReportCsv, bookingReportPdf } from '../../domain/booking/booking-report';
import { json } from '../schemas';
import { requireTenantAction, siteFor } from '../site-access';
import { rangeQuery, siteParams } from './booking-schemas';

const tags = ['bookings'];
const MAX_RANGE_MS = 366 * DAY_MS;

const utilisationSchema = z
  .object({
    resourceId: z.string(),
    name: z.string(),
    kind: z.string(),
    bookings: z.number(),
    bookedMinutes: z.number(),
    usedMinutes: z.number(),
    utilisationPct: z.number(),
    noShows: z.number(),
    noShowRatePct: z.number(),
  })
  .openapi('ResourceUtilisation');

const usageSchema = z
  .object({ id: z.string(), memberId: z.string(), resourceId: z.string(), siteId: z.string(), minutes: z.number(), kind: z.enum(['check-in', 'completed']), bookingId: z.string(), at: z.number() })
  .openapi('UsageRecord');

const report = createRoute({
  method: 'get',
  path: '/api/v1/sites/{siteId}/booking-report',
  tags,
  summary: 'Utilisation % and no-show rate per resource over [from, to) (default: the last 30 days), as JSON, CSV or PDF',
  security: bearer,
  request: { params: siteParams, query: z.strictObject({ ...rangeQuery, format: z.enum(['json', 'csv', 'pdf']).default('json') }) },
  responses: {
    200: {
      description: 'report',
      content: {
        'application/json': { schema: z.object({ siteId: z.string(), from: z.number(), to: z.number(), resources: z.array(utilisationSchema) }) },
        'text/csv': { schema: z.string() },
        'application/pdf': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...errors(400, 401, 403, 404),
  },
});

const usage = createRoute({
  method: 'get',
  path: '/api/v1/usage',
  tags,
  summary: 'Usage records of the tenant (one per check-in and per completed booking), for billing (tenant-admin)',
  security: bearer,
  request: { query: z.strictObject({ siteId: z.string().regex(ID_PATTERN, `siteId must match ${ID_PATTERN.source}`).optional(), ...rangeQuery }) },
  responses: { 200: { description: 'usage records', ...json(z.array(usageSchema)) }, ...errors(400, 401, 403, 404) },
});

const range = (q: { from?: number; to?: number }): { from: number; to: number } => {
  const to = q.to ?? Date.now();
  const from = q.from ?? to - 30 * DAY_MS;
  if (to <= from) throw badRequest('to: must be after from');
  if (to - from > MAX_RANGE_MS) throw badRequest('to: at most 366 days after from');
  return { from, to };
};

/** Booking reports and usage records. */
export function bookingReportRoutes(ctx: CloudContext) {
  return router()
    .openapi(report, async (c) => {
      const { siteId } = c.req.valid('param');
      const site = await siteFor(ctx, c.get('user'), siteId, { type: 'bookings.read', siteId });
      const q = c.req.valid('query');
      const { from, to } = range(q);
      const rows = await ctx.bookings.reports.utilisation(site.tenantId, site.id, from, to);
      if (q.format === 'csv') {
        c.header('content-type', 'text/csv; charset=utf-8');
        return c.body(bookingReportCsv(rows), 200);
      }
      if (q.format === 'pdf') {
        c.header('content-type', 'application/pdf');
        return c.body(new Uint8Array(await bookingReportPdf(site.id, rows, from, to)), 200);
      }
      return c.json({ siteId, from, to, resources: rows }, 200);
    })
    .openapi(usage, async (c) => {
      const user = c.get('user');
      requireTenantAction(user, { type: 'usage.read' });
      const q = c.req.valid('query');
      if (q.siteId && !(await ctx.tenants.site(user.tenantId, q.siteId))) throw notFound('site');
      const records = await ctx.bookings.reports.usage({ tenantId: user.tenantId, siteId: q.siteId, ...range(q) });
      return c.json(records.map(({ tenantId: _t, ...u }) => u), 200);
    });
}
