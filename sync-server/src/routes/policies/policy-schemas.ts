import { z } from '@hono/zod-openapi';
import { policyBodySchema } from '@cr/shared';
import { ROLLOUT_STATUSES } from '../../store/policies-store';
import { STAGED_ROLLOUT_STATES } from '../../store/policy-rollouts-store';

/** A policy id in a path (the cloud names policies with UUIDs). */
export const policyIdParam = z.string().uuid().openapi({ param: { name: 'id', in: 'path' } });

/**
 * openingHours (mon…sun lists of ["HH:MM","HH:MM"]; an empty list closes the day, a day left out is
 * open; closedDates), holidays, access, booking, thresholds, scenarios: the shared schema, as the edge checks it.
 */
export const policyBody = policyBodySchema;

export const createPolicyRequest = z.strictObject({ name: z.string().min(1).max(120), body: policyBody }).openapi('PolicyCreateRequest');
export const versionRequest = z.strictObject({ body: policyBody }).openapi('PolicyVersionRequest');
const siteIdList = (field: string) =>
  z
    .array(z.string().min(1).max(64))
    .min(1, `${field} must name at least one site`)
    .max(1000)
    .refine((ids) => new Set(ids).size === ids.length, `${field} must not repeat a site`);

/** A staged rollout: the first sites now, the rest after `waitSec` with healthy signals. */
export const stagesRequest = z
  .strictObject({
    firstSiteIds: siteIdList('firstSiteIds'),
    waitSec: z.number().int().min(0).max(86_400).openapi({ description: 'seconds from every first site reporting the version to the rest being assigned' }),
    stopWhen: z
      .strictObject({
        maxFailedApplies: z.number().int().min(0).max(1000).optional().openapi({ description: 'default 0: one refusal by a first edge stops' }),
        maxDeniedRate: z.number().min(0).max(1).optional().openapi({ description: 'default 0.3: share of denied swipes at the first sites (judged from 10 swipes)' }),
        maxNewAlerts: z.number().int().min(0).max(10_000).optional().openapi({ description: 'default 5: alerts raised at the first sites since the stage started' }),
      })
      .optional(),
  })
  .openapi('PolicyRolloutStages');

export const rolloutRequest = z
  .strictObject({
    version: z.number().int().min(1),
    siteIds: siteIdList('siteIds'),
    stages: stagesRequest.optional(),
  })
  .superRefine((r, ctx) => {
    const all = new Set(r.siteIds);
    const outside = (r.stages?.firstSiteIds ?? []).filter((s) => !all.has(s));
    if (outside.length > 0) ctx.addIssue({ code: 'custom', path: ['stages', 'firstSiteIds'], message: `${outside.join(', ')} not among siteIds` });
  })
  .openapi('PolicyRolloutRequest');

export const assignmentSchema = z
  .object({
    siteId: z.string(),
    policyId: z.string(),
    version: z.number(),
    status: z.enum(ROLLOUT_STATUSES),
    error: z.string().optional(),
    appliedVersion: z.number().optional(),
    appliedPolicyId: z.string().optional(),
    updatedAt: z.number(),
  })
  .openapi('PolicyAssignment');

export const policySummary = z
  .object({ id: z.string(), name: z.string(), createdAt: z.number(), createdBy: z.string(), latestVersion: z.number() })
  .openapi('PolicySummary');

export const policyDetail = policySummary
  .extend({
    versions: z.array(z.object({ version: z.number(), createdAt: z.number(), createdBy: z.string() })),
    body: z.unknown().openapi({ description: 'the latest version' }),
  })
  .openapi('Policy');

export const sitePolicySchema = z
  .object({
    policyId: z.string(),
    version: z.number().openapi({ description: 'the version assigned to the site' }),
    appliedVersion: z.number().optional().openapi({ description: "the version the site's edge reported it enforces" }),
    status: z.enum(ROLLOUT_STATUSES),
    error: z.string().optional(),
  })
  .openapi('SitePolicy');

export const diffSchema = z
  .object({ from: z.number(), to: z.number(), changes: z.array(z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), text: z.string() })) })
  .openapi('PolicyDiff');

export const templateSchema = z.object({ id: z.string(), name: z.string(), description: z.string(), body: z.unknown() }).openapi('PolicyTemplate');

export const rolloutResponse = z
  .object({
    policyId: z.string(),
    version: z.number(),
    sites: z.array(assignmentSchema).openapi({ description: 'the sites assigned now (with stages: the first sites)' }),
    rolloutId: z.string().optional().openapi({ description: 'the staged rollout (with stages only)' }),
    state: z.enum(STAGED_ROLLOUT_STATES).optional(),
  })
  .openapi('PolicyRolloutResponse');

export const stagedRolloutSchema = z
  .object({
    rolloutId: z.string(),
    version: z.number(),
    state: z.enum(STAGED_ROLLOUT_STATES),
    reason: z.string().optional().openapi({ description: 'why it stopped or was cancelled' }),
    firstSiteIds: z.array(z.string()),
    restSiteIds: z.array(z.string()),
    waitSec: z.number(),
    stopWhen: z.object({ maxFailedApplies: z.number(), maxDeniedRate: z.number(), maxNewAlerts: z.number() }),
    createdAt: z.number(),
    createdBy: z.string(),
    nextStageAt: z.number().optional().openapi({ description: 'when the rest is assigned if the signals stay healthy' }),
    signals: z.object({ failedApplies: z.number(), deniedSwipes: z.number(), swipes: z.number(), newAlerts: z.number() }),
  })
  .openapi('StagedPolicyRollout');

export const groupSchema = z
  .object({
    version: z.number(),
    siteIds: z.array(z.string()),
    figures: z.object({
      swipes: z.number(),
      deniedSwipes: z.number(),
      deniedRate: z.number(),
      alerts: z.number(),
      bookings: z.number(),
      noShows: z.number(),
      noShowRate: z.number(),
      energyKwh: z.number().optional().openapi({ description: 'not kept by the cloud: absent' }),
    }),
  })
  .openapi('PolicyGroup');

export const dryRunRequest = z
  .strictObject({
    version: z.number().int().min(1).optional(),
    body: policyBody.optional(),
    siteId: z.string().min(1).max(64),
    at: z.string().datetime({ offset: true }).openapi({ example: '2026-12-11T23:00:00+09:00' }),
  })
  .refine((r) => (r.version === undefined) !== (r.body === undefined), { message: 'give exactly one of version and body', path: ['version'] })
  .openapi('PolicyDryRunRequest');

export const dryRunSchema = z
  .object({
    siteId: z.string(),
    at: z.string(),
    siteOpen: z.boolean(),
    decisions: z.array(z.object({ memberId: z.string(), memberName: z.string().optional(), zoneId: z.string(), result: z.enum(['granted', 'denied']), reason: z.string() })),
    scenarios: z.array(z.object({ scenarioId: z.string(), fires: z.boolean(), why: z.string(), actions: z.array(z.unknown()) })),
  })
  .openapi('PolicyDryRun');
