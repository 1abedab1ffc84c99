import type { Db } from './db';

/** How long and how many device event ids are remembered (whichever bound is reached first). */
export interface ReplayWindow {
  windowMs: number;
  maxIds: number;
}

/** 48 h as DESIGN.md asks events to survive; 1,000,000 ids keep the table under ~100 MB. */
export const DEFAULT_REPLAY_WINDOW: ReplayWindow = { windowMs: 48 * 3600_000, maxIds: 1_000_000 };

/** Rows deleted per prune step, so one step never holds the event loop for long. */
const PRUNE_CHUNK = 1_000;

const SQL = {
  claim: 'INSERT OR IGNORE INTO recent_event_ids (id, at) VALUES (?, ?)',
  seen: 'SELECT 1 AS hit FROM recent_event_ids WHERE id = ?',
  bounds: 'SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM recent_event_ids',
  seenAt: 'SELECT at FROM recent_event_ids WHERE seq = ?',
  lastExpired: 'SELECT seq FROM recent_event_ids WHERE seq <= ? AND at < ? ORDER BY seq DESC LIMIT 1',
  deleteUpTo: 'DELETE FROM recent_event_ids WHERE seq <= ?',
} as const;

/**
 * Device event ids seen recently, persisted, so an event a device sends again (it missed our
 * acknowledgement, or replays its buffer) is neither stored nor acted on twice — also after the
 * original was uploaded and deleted from the outbox, and across a restart. Kept apart from the
 * outbox so that deleting uploaded events is a plain range delete with no index to maintain.
 * Bounded by age and count; pruned oldest first, a chunk at a time.
 */
export class ReplayGuard {
  private readonly claimStmt;
  private readonly seenStmt;
  private readonly boundsStmt;
  private readonly seenAtStmt;
  private readonly lastExpiredStmt;
  private readonly deleteStmt;

  constructor(
    db: Db,
    readonly window: ReplayWindow = DEFAULT_REPLAY_WINDOW,
  ) {
    this.claimStmt = db.prepare(SQL.claim);
    this.seenStmt = db.prepare<[string], { hit: number }>(SQL.seen);
    this.boundsStmt = db.prepare<[], { lo: number | null; hi: number | null }>(SQL.bounds);
    this.seenAtStmt = db.prepare<[number], { at: number }>(SQL.seenAt);
    this.lastExpiredStmt = db.prepare<[number, number], { seq: number }>(SQL.lastExpired);
    this.deleteStmt = db.prepare(SQL.deleteUpTo);
  }

  /**
   * Records `id` as seen; false when it already was. Call inside the transaction that stores the
   * event, so a failed commit forgets the id again and the device's resend is accepted.
   */
  /** Whether `id` was stored before (a read: it never waits for a commit). */
  seen(id: string): boolean {
    return this.seenStmt.get(id) !== undefined;
  }

  claim(id: string, now: number): boolean {
    return this.claimStmt.run(id, now).changes === 1;
  }

  /** Forgets ids beyond the window, at most one chunk per call; returns how many were forgotten. */
  prune(now: number): number {
    const { lo, hi } = this.boundsStmt.get()!;
    if (lo === null || hi === null) return 0;
    const cutoff = now - this.window.windowMs;
    // Rows are only ever deleted oldest first, so seq lo…hi is contiguous and `at` grows with seq.
    const overCount = hi - this.window.maxIds;
    const oldestExpired = (this.seenAtStmt.get(lo)?.at ?? now) < cutoff;
    if (!oldestExpired && overCount < lo) return 0;
    const chunkEnd = Math.min(hi, lo + PRUNE_CHUNK - 1);
    const expired = oldestExpired ? (this.lastExpiredStmt.get(chunkEnd, cutoff)?.seq ?? 0) : 0;
    return this.deleteStmt.run(Math.max(Math.min(overCount, chunkEnd), expired)).changes;
  }
}
