import { z } from 'zod';
import type { ApiClient } from '../../data/api-client';
import { ApiError } from '../../data/api-error';

/**
 * The cloud's site-policy calls (CONTRACT.md §9 and its extension: staged rollouts, A/B groups,
 * dry runs). Answers are checked with zod because this build's typed client does not declare
 * these routes. A route the cloud does not have yet answers 404 with `missing` set, so a panel
 * can say the cloud lacks it instead of failing.
 */

export const ROLLOUT_STATUSES = ['assigned', 'delivered', 'applied', 'failed'] as const;
export type AssignmentStatus = (typeof ROLLOUT_STATUSES)[number];
export const STAGED_STATES = ['first-stage', 'waiting', 'completed', 'stopped', 'cancelled'] as const;

export const policySummarySchema = z.object({ id: z.string(), name: z.string(), createdAt: z.number(), createdBy: z.string(), latestVersion: z.number() });
export type PolicySummary = z.infer<typeof policySummarySchema>;

export const policyDetailSchema = policySummarySchema.extend({
  versions: z.array(z.object({ version: z.number(), createdAt: z.number(), createdBy: z.string() })),
  body: z.unknown(),
});
export type PolicyDetail = z.infer<typeof policyDetailSchema>;

export const assignmentSchema = z.object({
  siteId: z.string(),
  policyId: z.string(),
  version: z.number(),
  status: z.enum(ROLLOUT_STATUSES),
  error: z.string().optional(),
  appliedVersion: z.number().optional(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

export const sitePolicySchema = z.object({ policyId: z.string(), version: z.number(), appliedVersion: z.number().optional(), status: z.enum(ROLLOUT_STATUSES).optional(), error: z.string().optional() });
export type SitePolicy = z.infer<typeof sitePolicySchema>;

export const changeSchema = z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), text: z.string() });
export type PolicyChangeLine = z.infer<typeof changeSchema>;

export const templateSchema = z.object({ id: z.string(), name: z.string(), description: z.string(), body: z.unknown() });
export type PolicyTemplateChoice = z.infer<typeof templateSchema>;

export const stopWhenSchema = z.object({ maxFailedApplies: z.number().optional(), maxDeniedRate: z.number().optional(), maxNewAlerts: z.number().optional() });
export type StopWhen = z.infer<typeof stopWhenSchema>;

export const stagedRolloutSchema = z.object({
  rolloutId: z.string(),
  version: z.number(),
  state: z.enum(STAGED_STATES),
  reason: z.string().optional(),
  firstSiteIds: z.array(z.string()),
  restSiteIds: z.array(z.string()),
  waitSec: z.number(),
  stopWhen: stopWhenSchema,
  createdAt: z.number(),
  createdBy: z.string(),
  nextStageAt: z.number().optional(),
  signals: z.object({ failedApplies: z.number(), deniedSwipes: z.number(), swipes: z.number(), newAlerts: z.number() }),
});
export type StagedRollout = z.infer<typeof stagedRolloutSchema>;

export const groupSchema = z.object({
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
    energyKwh: z.number().optional(),
  }),
});
export type VersionGroup = z.infer<typeof groupSchema>;

export const dryRunSchema = z.object({
  siteId: z.string(),
  at: z.string(),
  siteOpen: z.boolean(),
  decisions: z.array(z.object({ memberId: z.string(), memberName: z.string().optional(), zoneId: z.string(), result: z.string(), reason: z.string() })),
  scenarios: z.array(z.object({ scenarioId: z.string(), fires: z.boolean(), why: z.string(), actions: z.unknown() })),
});
export type DryRun = z.infer<typeof dryRunSchema>;

export interface Stages {
  firstSiteIds: string[];
  waitSec: number;
  stopWhen: StopWhen;
}

/** A refused or failed policy call: the cloud's sentence, and whether the route does not exist there. */
export class PolicyApiError extends ApiError {
  constructor(
    status: number,
    message: string,
    /** the cloud's `error` code, e.g. `bad-request` */
    readonly code?: string,
  ) {
    super(status, message);
    this.name = 'PolicyApiError';
  }

  /** The cloud has no such route (an older cloud): the panel says so instead of failing. */
  get missing(): boolean {
    return this.status === 404 && /^no route /.test(this.message);
  }
}

async function failure(res: Response): Promise<PolicyApiError> {
  const body = (await res.json().catch(() => undefined)) as { error?: unknown; message?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : typeof body?.error === 'string' ? body.error : res.statusText || `HTTP ${res.status}`;
  return new PolicyApiError(res.status, message.slice(0, 300), typeof body?.error === 'string' ? body.error : undefined);
}

const p = encodeURIComponent;

export function policyApi(api: Pick<ApiClient, 'cloudFetch'>) {
  const call = async <S extends z.ZodType>(schema: S, path: `/${string}`, method = 'GET', body?: unknown): Promise<z.infer<S>> => {
    const init: RequestInit = body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
    const res = await api.cloudFetch(path, init);
    if (!res.ok) throw await failure(res);
    const json: unknown = res.status === 204 ? {} : await res.json().catch(() => ({}));
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new PolicyApiError(502, `unexpected answer from ${path.split('?')[0]}`);
    return parsed.data;
  };
  const policy = (id: string) => `/api/v1/policies/${p(id)}` as const;
  return {
    list: () => call(z.array(policySummarySchema), '/api/v1/policies'),
    get: (id: string) => call(policyDetailSchema, policy(id)),
    templates: () => call(z.array(templateSchema), '/api/v1/policy-templates'),
    create: (name: string, body: unknown) => call(z.object({ id: z.string(), version: z.number() }), '/api/v1/policies', 'POST', { name, body }),
    addVersion: (id: string, body: unknown) => call(z.object({ version: z.number() }), `${policy(id)}/versions`, 'POST', { body }),
    diff: async (id: string, from: number, to: number) => (await call(z.object({ changes: z.array(changeSchema) }), `${policy(id)}/diff?from=${from}&to=${to}`)).changes,
    /** Assigns `version` to the sites; with `stages`, to the first sites, then the rest unless a signal stops it. */
    rollout: (id: string, version: number, siteIds: string[], stages?: Stages) =>
      call(z.object({ rolloutId: z.string().optional(), state: z.string().optional() }).passthrough(), `${policy(id)}/rollouts`, 'POST', stages ? { version, siteIds, stages } : { version, siteIds }),
    status: (id: string) => call(z.array(assignmentSchema), `${policy(id)}/rollout-status`),
    /** What a site is assigned (of any policy), or undefined when it has none. */
    sitePolicy: async (siteId: string): Promise<SitePolicy | undefined> => {
      try {
        return await call(sitePolicySchema, `/api/v1/sites/${p(siteId)}/policy`);
      } catch (err) {
        if (err instanceof PolicyApiError && err.status === 404) return undefined;
        throw err;
      }
    },
    rollouts: (id: string) => call(z.array(stagedRolloutSchema), `${policy(id)}/rollouts`),
    stop: (id: string, rolloutId: string) => call(z.unknown(), `${policy(id)}/rollouts/${p(rolloutId)}/stop`, 'POST', {}),
    groups: (id: string, days = 7) => call(z.array(groupSchema), `${policy(id)}/groups?days=${days}`),
    dryRun: (id: string, q: { version?: number; body?: unknown; siteId: string; at: string }) => call(dryRunSchema, `${policy(id)}/dry-run`, 'POST', q),
  };
}
export type PolicyApi = ReturnType<typeof policyApi>;
