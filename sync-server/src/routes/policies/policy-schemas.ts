import { z } from '@hono/zod-openapi';
import { policyBodySchema } from '@cr/shared';
import { ROLLOUT_STATUSES } from '../../store/policies-store';

/** A policy id in a path (the cloud names policies with UUIDs). */
export const policyIdParam = z.string().uuid().openapi({ param: { name: 'id', in: 'path' } });

/**
 * openingHours (mon…sun lists of ["HH:MM","HH:MM"]; an empty list closes the day, a day left out is
 * open; closedDates), holidays, access, booking, thresholds, scenarios: the shared schema, as the edge checks it.
 */
export const policyBody = policyBodySchema;

export const createPolicyRequest = z.strictObject({ name: z.string().min(1).max(120), body: policyBody }).openapi('PolicyCreateRequest');
export const versionRequest = z.strictObject({ body: policyBody }).openapi('PolicyVersionRequest');
export const rolloutRequest = z
  .strictObject({
    version: z.number().int().min(1),
    siteIds: z
      .array(z.string().min(1).max(64))
      .min(1, 'siteIds must name at least one site')
      .max(1000)
      .refine((ids) => new Set(ids).size === ids.length, 'siteIds must not repeat a site'),
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
