import { createRoute, z } from '@hono/zod-openapi';
import { POLICY_TEMPLATES } from '@cr/shared';
import type { CloudContext } from '../../context';
import { bearer, errors, router } from '../../http/api-types';
import { forbidden, notFound } from '../../domain/errors';
import { idParam, json } from '../schemas';
import { siteFor } from '../site-access';
import { policyStageRoutes } from './policy-stage-routes';
import {
  assignmentSchema,
  createPolicyRequest,
  diffSchema,
  policyDetail,
  policyIdParam,
  policySummary,
  rolloutRequest,
  rolloutResponse,
  sitePolicySchema,
  templateSchema,
  versionRequest,
} from './policy-schemas';

const tags = ['policies'];
const byId = { params: z.object({ id: policyIdParam }) };

const create = createRoute({
  method: 'post', path: '/api/v1/policies', tags, security: bearer,
  summary: 'Create a site policy with its first version (tenant-admin)',
  request: { body: { ...json(createPolicyRequest), required: true } },
  responses: { 201: { description: 'created', ...json(z.object({ id: z.string(), version: z.literal(1) })) }, ...errors(400, 401, 403) },
});
const addVersion = createRoute({
  method: 'post', path: '/api/v1/policies/{id}/versions', tags, security: bearer,
  summary: 'Add a version to a policy; versions are immutable (tenant-admin)',
  request: { ...byId, body: { ...json(versionRequest), required: true } },
  responses: { 201: { description: 'created', ...json(z.object({ version: z.number() })) }, ...errors(400, 401, 403, 404) },
});
const rollout = createRoute({
  method: 'post', path: '/api/v1/policies/{id}/rollouts', tags, security: bearer,
  summary: "Assign a version to sites and send it to their edges; a rollback is a rollout of an older version; with `stages`, the first sites now and the rest after a healthy wait (tenant-admin)",
  request: { ...byId, body: { ...json(rolloutRequest), required: true } },
  responses: { 202: { description: 'assigned', ...json(rolloutResponse) }, ...errors(400, 401, 403, 404) },
});
const list = createRoute({
  method: 'get', path: '/api/v1/policies', tags, security: bearer, summary: "The tenant's site policies",
  responses: { 200: { description: 'policies', ...json(z.array(policySummary)) }, ...errors(401, 403) },
});
const read = createRoute({
  method: 'get', path: '/api/v1/policies/{id}', tags, security: bearer, summary: 'A policy, its versions and its latest body',
  request: byId,
  responses: { 200: { description: 'policy', ...json(policyDetail) }, ...errors(400, 401, 403, 404) },
});
const diff = createRoute({
  method: 'get', path: '/api/v1/policies/{id}/diff', tags, security: bearer, summary: 'What changed between two versions, one readable line per change',
  request: { ...byId, query: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }) },
  responses: { 200: { description: 'changes', ...json(diffSchema) }, ...errors(400, 401, 403, 404) },
});
const status = createRoute({
  method: 'get', path: '/api/v1/policies/{id}/rollout-status', tags, security: bearer,
  summary: "Each assigned site: assigned, delivered, applied or failed (with the edge's error)",
  request: byId,
  responses: { 200: { description: 'sites', ...json(z.array(assignmentSchema)) }, ...errors(400, 401, 403, 404) },
});
const sitePolicy = createRoute({
  method: 'get', path: '/api/v1/sites/{siteId}/policy', tags, security: bearer,
  summary: "The site's assigned policy version and the version its edge reports it enforces",
  request: { params: z.object({ siteId: idParam('siteId') }) },
  responses: { 200: { description: 'site policy', ...json(sitePolicySchema) }, ...errors(400, 401, 403, 404) },
});
const templates = createRoute({
  method: 'get', path: '/api/v1/policy-templates', tags, security: bearer, summary: 'Policies to start from',
  responses: { 200: { description: 'templates', ...json(z.array(templateSchema)) }, ...errors(401, 403) },
});

/** CONTRACT.md §9: site policies, their versions, rollouts and what each site enforces. */
export function policyRoutes(ctx: CloudContext) {
  const policies = ctx.policies;
  return router()
    .openapi(create, async (c) => {
      const { name, body } = c.req.valid('json');
      return c.json(await policies.create(c.get('user'), name, body, c.get('source')), 201);
    })
    .openapi(addVersion, async (c) => c.json(await policies.addVersion(c.get('user'), c.req.valid('param').id, c.req.valid('json').body, c.get('source')), 201))
    .openapi(rollout, async (c) => {
      const { version, siteIds, stages } = c.req.valid('json');
      return c.json(await policies.rollout(c.get('user'), c.req.valid('param').id, version, siteIds, c.get('source'), stages), 202);
    })
    .openapi(list, async (c) => c.json(await policies.list(c.get('user')), 200))
    .openapi(read, async (c) => c.json(await policies.get(c.get('user'), c.req.valid('param').id), 200))
    .openapi(diff, async (c) => {
      const { from, to } = c.req.valid('query');
      return c.json(await policies.diff(c.get('user'), c.req.valid('param').id, from, to), 200);
    })
    .openapi(status, async (c) => c.json(await policies.rolloutStatus(c.get('user'), c.req.valid('param').id), 200))
    .openapi(sitePolicy, async (c) => {
      const user = c.get('user');
      const { siteId } = c.req.valid('param');
      await siteFor(ctx, user, siteId, { type: 'site.read', siteId });
      // Threat: vendors learning a client's opening hours and automation (when the site stands empty).
      if (user.role === 'vendor') throw forbidden('vendors see no site policies');
      const view = await policies.siteView(user.tenantId, siteId);
      if (!view) throw notFound('site policy');
      return c.json(view, 200);
    })
    .openapi(templates, (c) => {
      if (c.get('user').role === 'vendor') throw forbidden('vendors see no site policies');
      return c.json(POLICY_TEMPLATES.map((t) => ({ ...t })), 200);
    })
    .route('/', policyStageRoutes(ctx));
}
