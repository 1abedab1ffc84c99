import { z } from 'zod';
import { ROLLOUT_DEVICE_STATES } from '@cr/shared';
import type { Db } from './db';

/** One firmware rollout: what is installed, where, how fast, and how far each device got. */
export const rolloutRecordSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  siteId: z.string(),
  version: z.string(),
  url: z.string(),
  sha256: z.string(),
  batchSize: z.number().int().positive(),
  maxFailures: z.number().int().nonnegative(),
  /** how long to wait after a batch ended before the next one is sent */
  batchWaitSec: z.number().int().nonnegative().optional(),
  /** why nothing is sent now though devices are queued (a maintenance window not open, the wait between batches) */
  waiting: z.string().optional(),
  state: z.enum(['running', 'done', 'aborted']),
  createdBy: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  devices: z.array(
    z.object({
      deviceId: z.string(),
      state: z.enum(ROLLOUT_DEVICE_STATES),
      error: z.string().optional(),
      /** when its manifest went out (its answer is due within the rollout's answer timeout) */
      sentAt: z.number().optional(),
    }),
  ),
});
export type RolloutRecord = z.infer<typeof rolloutRecordSchema>;

const SQL = {
  insert: `INSERT INTO firmware_rollouts (tenant_id, id, site_id, state, body, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  save: `UPDATE firmware_rollouts SET state = ?, body = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
  byId: `SELECT body FROM firmware_rollouts WHERE tenant_id = ? AND id = ?`,
  running: `SELECT body FROM firmware_rollouts WHERE state = 'running' ORDER BY updated_at`,
} as const;

/** A stored body back as a record; undefined when it does not parse (never trusted blindly). */
export function parseRollout(body: string): RolloutRecord | undefined {
  try {
    const r = rolloutRecordSchema.safeParse(JSON.parse(body));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Firmware rollouts in SQLite, one row each: the whole record as JSON (read and written whole by
 * the one instance driving it) and its state, so a restarted cloud finds what is still running.
 */
export class FirmwareRolloutsStore {
  constructor(private readonly db: Db) {}

  insert(r: RolloutRecord): void {
    this.db.prepare(SQL.insert).run(r.tenantId, r.id, r.siteId, r.state, JSON.stringify(r), r.updatedAt);
  }

  save(r: RolloutRecord): void {
    this.db.prepare(SQL.save).run(r.state, JSON.stringify(r), r.updatedAt, r.tenantId, r.id);
  }

  byId(tenantId: string, id: string): RolloutRecord | undefined {
    const row = this.db.prepare(SQL.byId).get(tenantId, id) as { body: string } | undefined;
    return row ? parseRollout(row.body) : undefined;
  }

  running(): RolloutRecord[] {
    const rows = this.db.prepare(SQL.running).all() as Array<{ body: string }>;
    return rows.map((r) => parseRollout(r.body)).filter((r): r is RolloutRecord => r !== undefined);
  }
}
