import { createRoute, z } from '@hono/zod-openapi';
import type { HttpDeps } from './http-deps';
import { requirePerson, mustAllow } from './lan-auth';
import { bearer, errors, lanRouter } from './lan-env';
import { commandIdParam, commandRecord, json, siteViewSchema } from './lan-schemas';
import { HttpError } from './respond';

export function siteRoutes(deps: Pick<HttpDeps, 'siteId' | 'tenantId' | 'verifier' | 'siteView' | 'book'>) {
  const person = requirePerson(deps);
  const site = createRoute({
    method: 'get',
    path: '/api/v1/site',
    tags: ['site'],
    summary: "This edge's site: meta, mode, zones and devices with their last state (not for vendors)",
    security: bearer,
    middleware: [person] as const,
    responses: { 200: { description: 'site view', ...json(siteViewSchema) }, ...errors(401, 403, 503) },
  });
  const command = createRoute({
    method: 'get',
    path: '/api/v1/commands/{id}',
    tags: ['commands'],
    summary: 'Status of a command this edge executed (local or from the cloud)',
    security: bearer,
    middleware: [person] as const,
    request: { params: z.object({ id: commandIdParam }) },
    responses: { 200: { description: 'command', ...json(commandRecord) }, ...errors(400, 401, 403, 404, 503) },
  });
  return lanRouter()
    .openapi(site, (c) => {
      mustAllow(c.get('user'), deps.tenantId, { type: 'site.read', siteId: deps.siteId });
      return c.json(deps.siteView(), 200);
    })
    .openapi(command, (c) => {
      // Every command on this edge belongs to its site: reading one is reading the site.
      mustAllow(c.get('user'), deps.tenantId, { type: 'site.read', siteId: deps.siteId });
      const rec = deps.book.get(c.req.valid('param').id);
      if (!rec) throw new HttpError(404, 'no such command on this edge');
      return c.json(rec, 200);
    });
}
