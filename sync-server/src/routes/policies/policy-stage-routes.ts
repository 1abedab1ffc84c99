import { createRoute, z } from '@hono/zod-openapi';
import type { CloudContext } from '../../context';
import type { StagedRollout } from '../../store/policy-rollouts-store';
import { bearer, errors, router } from '../../http/api-types';
import { json } from '../schemas';
import { dryRunRequest, dryRunSchema, groupSchema, policyIdParam, stagedRolloutSchema } from './policy-schemas';

const tags = ['policies'];
const byId = { params: z.object({ id: policyIdParam }) };

const rollouts = createRoute({
  method: 'get', path: '/api/v1/policies/{id}/rollouts', tags, security: bearer,
  summary: "The policy's staged rollouts, newest first, with their state and the first sites' signals",
  request: byId,
  responses: { 200: { description: 'staged rollouts', ...json(z.array(stagedRolloutSchema)) }, ...errors(400, 401, 403, 404) },
});
const stop = createRoute({
  method: 'post', path: '/api/v1/policies/{id}/rollouts/{rolloutId}/stop', tags, security: bearer,
  summary: 'Cancel a running staged rollout: the sites not yet assigned never are (tenant-admin)',
  request: { params: z.object({ id: policyIdParam, rolloutId: z.string().uuid().openapi({ param: { name: 'rolloutId', in: 'path' } }) }) },
  responses: { 200: { description: 'the rollout, cancelled', ...json(stagedRolloutSchema) }, ...errors(400, 401, 403, 404) },
});
const groups = createRoute({
  method: 'get', path: '/api/v1/policies/{id}/groups', tags, security: bearer,
  summary: "The policy's sites grouped by assigned version, with each group's swipes, denials, alerts, bookings and no-shows (A/B)",
  request: { ...byId, query: z.object({ days: z.coerce.number().int().min(1).max(90).default(7) }) },
  responses: { 200: { description: 'one group per assigned version', ...json(z.array(groupSchema)) }, ...errors(400, 401, 403, 404) },
});
const dryRun = createRoute({
  method: 'post', path: '/api/v1/policies/{id}/dry-run', tags, security: bearer,
  summary: "What a version or a candidate body would decide at a site at a moment: each member at each zone, and the scenarios",
  request: { ...byId, body: { ...json(dryRunRequest), required: true } },
  responses: { 200: { description: 'decisions and scenarios', ...json(dryRunSchema) }, ...errors(400, 401, 403, 404) },
});

/** A staged rollout as the API shows it. */
export function rolloutView(r: StagedRollout): z.infer<typeof stagedRolloutSchema> {
  return {
    rolloutId: r.id,
    version: r.version,
    state: r.state,
    ...(r.reason ? { reason: r.reason } : {}),
    firstSiteIds: r.firstSiteIds,
    restSiteIds: r.restSiteIds,
    waitSec: r.waitSec,
    stopWhen: r.stopWhen,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    ...(r.nextStageAt !== undefined ? { nextStageAt: r.nextStageAt } : {}),
    signals: r.signals,
  };
}

/** Staged rollouts, A/B groups and dry runs of a policy (README "Site policies"). */
export function policyStageRoutes(ctx: CloudContext) {
  const policies = ctx.policies;
  return router()
    .openapi(rollouts, async (c) => c.json((await policies.stagedRollouts(c.get('user'), c.req.valid('param').id)).map(rolloutView), 200))
    .openapi(stop, async (c) => {
      const { id, rolloutId } = c.req.valid('param');
      return c.json(rolloutView(await policies.stopRollout(c.get('user'), id, rolloutId, c.get('source'))), 200);
    })
    .openapi(groups, async (c) => c.json(await policies.groups(c.get('user'), c.req.valid('param').id, c.req.valid('query').days), 200))
    .openapi(dryRun, async (c) => {
      const req = c.req.valid('json');
      const ask = req.version !== undefined ? { version: req.version, siteId: req.siteId, at: req.at } : { body: req.body!, siteId: req.siteId, at: req.at };
      return c.json(await policies.dryRun(c.get('user'), c.req.valid('param').id, ask), 200);
    });
}
