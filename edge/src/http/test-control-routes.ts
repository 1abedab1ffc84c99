import { createRoute } from '@hono/zod-openapi';
import type { HttpDeps } from './http-deps';
import { errors, lanRouter } from './lan-env';
import { json, linkBody } from './lan-schemas';

const link = createRoute({
  method: 'post',
  path: '/api/v1/link',
  tags: ['test controls'],
  summary: 'Drop or restore the cloud link (only with --test-controls; for the end-to-end suite)',
  request: { body: { ...json(linkBody), required: true } },
  responses: { 200: { description: 'link state requested', ...json(linkBody) }, ...errors(400, 413, 415) },
});

/** Mounted only when the edge runs with `--test-controls`; otherwise the path is a plain 404. */
export function testControlRoutes(deps: Pick<HttpDeps, 'setLink'>) {
  return lanRouter().openapi(link, (c) => {
    const { connected } = c.req.valid('json');
    deps.setLink(connected);
    return c.json({ connected }, 200);
  });
}
