import { performance } from 'node:perf_hooks';

/** Most rows one retention step deletes: each step is one short statement. */
export const RETENTION_STEP_ROWS = 1000;
/** Report files can be megabytes each: fewer per step. */
export const REPORT_STEP_ROWS = 20;

/** What one pass removed, and how long its longest step took. */
export interface RetentionReport {
  cutoff: number;
  deleted: { events: number; commands: number; refreshTokens: number; reports: number; auditRedacted: number };
  /** whole daily event partitions dropped (PostgreSQL) */
  partitionsDropped: string[];
  steps: number;
  maxStepMs: number;
}

export type RetentionTable = keyof RetentionReport['deleted'];

/** One kind of row to remove: `step` removes at most `limit` rows older than `cutoff` and says how many. */
export interface Sweep {
  table: RetentionTable;
  limit: number;
  step(cutoff: number, limit: number): Promise<number>;
}

/**
 * Runs every sweep step by step, each awaited before the next, so the instance keeps serving
 * during a pass over millions of rows; `signal` stops the pass between steps.
 */
export async function runSweeps(sweeps: Sweep[], cutoff: number, signal?: AbortSignal, report = emptyReport(cutoff)): Promise<RetentionReport> {
  for (const sweep of sweeps) {
    for (;;) {
      if (signal?.aborted) return report;
      const started = performance.now();
      const n = await sweep.step(cutoff, sweep.limit);
      report.maxStepMs = Math.max(report.maxStepMs, performance.now() - started);
      report.steps++;
      report.deleted[sweep.table] += n;
      if (n < sweep.limit) break;
    }
  }
  return report;
}

export function emptyReport(cutoff: number): RetentionReport {
  return {
    cutoff,
    deleted: { events: 0, commands: 0, refreshTokens: 0, reports: 0, auditRedacted: 0 },
    partitionsDropped: [],
    steps: 0,
    maxStepMs: 0,
  };
}
