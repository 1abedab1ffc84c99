import { createRoute, z } from '@hono/zod-openapi';
import { ID_PATTERN, userCoversSite, type UserPrincipal } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { json, msQuery } from '../schemas';
import { requireTenantAction, siteFor, visibleSites } from '../site-access';
import { ApiError, notFound } from '../../domain/errors';
import type { ReportJob } from '../../store/reports-store';

const jobSchema = z
  .object({
    id: z.string(),
    siteId: z.string().nullable(),
    period: z.enum(['daily', 'weekly', 'monthly']),
    format: z.enum(['csv', 'pdf']),
    from: z.number(),
    to: z.number(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.number(),
    error: z.string().optional(),
    createdBy: z.string(),
    createdAt: z.number(),
    finishedAt: z.number().optional(),
  })
  .openapi('ReportJob');

const jobParams = z.object({
  id: z
    .string()
    .uuid()
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const tags = ['reports'];

const create = createRoute({
  method: 'post',
  path: '/api/v1/reports',
  tags,
  summary: 'Start a report job (daily/weekly/monthly, one site or all visible sites, CSV or PDF)',
  security: bearer,
  request: {
    body: {
      ...json(
        z.strictObject({
          siteId: z.string().regex(ID_PATTERN).optional(),
          period: z.enum(['daily', 'weekly', 'monthly']),
          format: z.enum(['csv', 'pdf']),
          /** end of the period (epoch ms), default now */
          to: z.number().int().nonnegative().optional(),
        }),
      ),
      required: true,
    },
  },
  responses: { 202: { description: 'job started', ...json(jobSchema) }, ...errors(400, 401, 403, 404) },
});

const list = createRoute({
  method: 'get',
  path: '/api/v1/reports',
  tags,
  summary: 'Recent report jobs the caller may see',
  security: bearer,
  request: { query: z.strictObject({ since: msQuery.optional() }) },
  responses: { 200: { description: 'jobs', ...json(z.array(jobSchema)) }, ...errors(401, 403) },
});

const get = createRoute({
  method: 'get',
  path: '/api/v1/reports/{id}',
  tags,
  summary: 'A report job with its progress',
  security: bearer,
  request: { params: jobParams },
  responses: { 200: { description: 'job', ...json(jobSchema) }, ...errors(400, 401, 404) },
});

const download = createRoute({
  method: 'get',
  path: '/api/v1/reports/{id}/download',
  tags,
  summary: 'The finished report file (text/csv or application/pdf)',
  security: bearer,
  request: { params: jobParams },
  responses: {
    200: {
      description: 'file',
      content: {
        'text/csv': { schema: z.string() },
        'application/pdf': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...errors(401, 404, 409),
  },
});

/** Jobs of the caller's tenant within their scope; others are 404. */
async function visibleJob(ctx: CloudContext, user: UserPrincipal, id: string): Promise<ReportJob> {
  const job = await ctx.reports.job(id);
  // By account id only: a display name is not an identity (threat: a colleague renamed to match).
  const mine = user.userId === job?.createdBy;
  const inScope =
    job &&
    (job.siteId
      ? userCoversSite(user, job.siteId)
      : user.role === 'hq-operator' || user.role === 'tenant-admin' || mine);
  if (!job || job.tenantId !== user.tenantId || user.role === 'vendor' || !inScope) throw notFound('report');
  return job;
}

export function reportRoutes(ctx: CloudContext) {
  return router()
    .openapi(create, async (c) => {
      const user = c.get('user');
      const body = c.req.valid('json');
      let sites;
      if (body.siteId) sites = [await siteFor(ctx, user, body.siteId, { type: 'reports.read', siteId: body.siteId })];
      else {
        requireTenantAction(user, { type: 'reports.read' });
        sites = await visibleSites(ctx, user);
      }
      const job = await ctx.reports.start(
        user,
        { sites, siteId: body.siteId ?? null, period: body.period, format: body.format, to: body.to ?? Date.now() },
        c.get('source'),
      );
      return c.json(job, 202);
    })
    .openapi(list, async (c) => {
      const user = c.get('user');
      requireTenantAction(user, { type: 'reports.read' });
      const jobs: ReportJob[] = [];
      for (const j of await ctx.reports.jobs(user.tenantId)) {
        // Jobs outside the caller's scope are left out, not refused.
        if (await visibleJob(ctx, user, j.id).then(() => true, () => false)) jobs.push(j);
      }
      return c.json(jobs, 200);
    })
    .openapi(get, async (c) => c.json(await visibleJob(ctx, c.get('user'), c.req.valid('param').id), 200))
    .openapi(download, async (c) => {
      const job = await visibleJob(ctx, c.get('user'), c.req.valid('param').id);
      if (job.status !== 'done') throw new ApiError(409, 'not-ready', `report is ${job.status}`);
      const content = await ctx.reports.content(job.id) ?? Buffer.alloc(0);
      const type = job.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf';
      c.header('Content-Type', type);
      c.header(
        'Content-Disposition',
        `attachment; filename="report-${job.period}-${job.siteId ?? 'all'}-${job.id.slice(0, 8)}.${job.format}"`,
      );
      return c.body(new Uint8Array(content), 200);
    });
}
