import { z } from 'zod';
import type { Db } from './db';

/** Where a staged policy rollout stands (the first sites, the wait, done, stopped by a signal, cancelled by a person). */
export const STAGED_ROLLOUT_STATES = ['first-stage', 'waiting', 'completed', 'stopped', 'cancelled'] as const;
export type StagedRolloutState = (typeof STAGED_ROLLOUT_STATES)[number];

/** Limits of the first stage's signals; a signal above its limit stops the rollout. */
export const stopWhenSchema = z.object({
  maxFailedApplies: z.number().int().nonnegative(),
  maxDeniedRate: z.number().min(0).max(1),
  maxNewAlerts: z.number().int().nonnegative(),
});
export type StopWhen = z.infer<typeof stopWhenSchema>;

/** What the first sites showed since the stage started. */
export const rolloutSignalsSchema = z.object({
  failedApplies: z.number().int().nonnegative(),
  deniedSwipes: z.number().int().nonnegative(),
  swipes: z.number().int().nonnegative(),
  newAlerts: z.number().int().nonnegative(),
});
export type RolloutSignals = z.infer<typeof rolloutSignalsSchema>;

/** One staged rollout of a policy version: the first sites, then (after a healthy wait) the rest. */
export const stagedRolloutSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  policyId: z.string(),
  version: z.number().int().positive(),
  state: z.enum(STAGED_ROLLOUT_STATES),
  reason: z.string().optional(),
  firstSiteIds: z.array(z.string()).min(1),
  restSiteIds: z.array(z.string()),
  waitSec: z.number().int().nonnegative(),
  stopWhen: stopWhenSchema,
  createdAt: z.number(),
  createdBy: z.string(),
  /** when the first sites were assigned: signals count from here */
  stageStartedAt: z.number(),
  /** when the rest will be assigned if the signals stay healthy (set once every first site settled) */
  nextStageAt: z.number().optional(),
  signals: rolloutSignalsSchema,
  updatedAt: z.number(),
});
export type StagedRollout = z.infer<typeof stagedRolloutSchema>;

/** A stored body back as a record; undefined when it does not parse (never trusted blindly). */
export function parseStagedRollout(body: string): StagedRollout | undefined {
  try {
    const r = stagedRolloutSchema.safeParse(JSON.parse(body));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** The states a staged rollout is still driven in. */
export const ACTIVE_STAGED_STATES: readonly StagedRolloutState[] = ['first-stage', 'waiting'];

const SQL = {
  insert: `INSERT INTO policy_rollouts (tenant_id, id, policy_id, state, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  save: `UPDATE policy_rollouts SET state = ?, body = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND updated_at = ?`,
  byId: `SELECT body FROM policy_rollouts WHERE tenant_id = ? AND id = ?`,
  ofPolicy: `SELECT body FROM policy_rollouts WHERE tenant_id = ? AND policy_id = ? ORDER BY created_at DESC, id`,
  active: `SELECT body FROM policy_rollouts WHERE state IN ('first-stage', 'waiting') ORDER BY updated_at`,
  activeOfTenant: `SELECT body FROM policy_rollouts WHERE tenant_id = ? AND state IN ('first-stage', 'waiting') ORDER BY created_at`,
} as const;

const parsed = (rows: Array<{ body: string }>): StagedRollout[] => rows.map((r) => parseStagedRollout(r.body)).filter((r): r is StagedRollout => r !== undefined);

/**
 * Staged policy rollouts in SQLite, one row each: the record as JSON (read and written whole by the
 * instance driving it) with its state, so a restarted cloud finds the ones still running.
 */
export class PolicyRolloutsStore {
  constructor(private readonly db: Db) {}

  insert(r: StagedRollout): void {
    this.db.prepare(SQL.insert).run(r.tenantId, r.id, r.policyId, r.state, JSON.stringify(r), r.createdAt, r.updatedAt);
  }

  /**
   * Writes the record over the one read, if that is still what is stored (`expectedUpdatedAt`, its
   * `updatedAt`): false when another step or instance changed it in between, for the caller to read again.
   */
  save(r: StagedRollout, expectedUpdatedAt: number): boolean {
    return this.db.prepare(SQL.save).run(r.state, JSON.stringify(r), r.updatedAt, r.tenantId, r.id, expectedUpdatedAt).changes > 0;
  }

  byId(tenantId: string, id: string): StagedRollout | undefined {
    const row = this.db.prepare(SQL.byId).get(tenantId, id) as { body: string } | undefined;
    return row ? parseStagedRollout(row.body) : undefined;
  }

  /** A policy's staged rollouts, newest first. */
  ofPolicy(tenantId: string, policyId: string): StagedRollout[] {
    return parsed(this.db.prepare(SQL.ofPolicy).all(tenantId, policyId) as Array<{ body: string }>);
  }

  /** Every tenant's rollouts still in their first stage or wait (the background job's work). */
  active(): StagedRollout[] {
    return parsed(this.db.prepare(SQL.active).all() as Array<{ body: string }>);
  }

  activeOfTenant(tenantId: string): StagedRollout[] {
    return parsed(this.db.prepare(SQL.activeOfTenant).all(tenantId) as Array<{ body: string }>);
  }
}
