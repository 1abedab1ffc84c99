import { performance } from 'node:perf_hooks';
import { DAY_MS } from '@cr/shared';
import type { GroupCommit } from '@cr/store-kit';
import type { CloudConfig } from '../config';
import type { Db } from '../store/db';
import type { EventsStore } from '../store/events-store';
import type { TokensStore } from '../store/tokens-store';
import type { AuditStore } from '../store/audit-store';
import { ReportsStore } from '../store/reports-store';
import { withSecureDelete } from '../store/scrub';

/** Most rows one retention step deletes: a step is one short synchronous SQL statement. */
export const RETENTION_STEP_ROWS = 1000;
/** Report files can be megabytes each: fewer per step. */
const REPORT_STEP_ROWS = 20;

// Commands have no retention method in their store; the one statement lives here.
const DELETE_COMMANDS = `DELETE FROM commands WHERE rowid IN
  (SELECT rowid FROM commands INDEXED BY commands_by_time
   WHERE created_at < ? AND status NOT IN ('pending', 'sent') LIMIT ?)`;

/** Retention works on the SQLite stores themselves: each step is one statement inside the group commit. */
export interface RetentionDeps {
  db: Db;
  commits: GroupCommit;
  events: EventsStore;
  tokens: TokensStore;
  audit: AuditStore;
  config: Pick<CloudConfig, 'retentionDays'>;
}

/** What one pass removed, and how long its longest step held the event loop. */
export interface RetentionReport {
  cutoff: number;
  deleted: { events: number; commands: number; refreshTokens: number; reports: number; auditRedacted: number };
  steps: number;
  maxStepMs: number;
}

type Table = keyof RetentionReport['deleted'];

/** One kind of row to remove: `step` deletes at most `limit` rows older than `cutoff` and says how many. */
interface Sweep {
  table: Table;
  limit: number;
  step(cutoff: number, limit: number): number;
}

function sweepsOf(d: RetentionDeps): Sweep[] {
  const reports = new ReportsStore(d.db);
  return [
    ...d.events
      .types()
      .map((type): Sweep => ({
        table: 'events',
        limit: RETENTION_STEP_ROWS,
        step: (c, l) => d.events.deleteBefore(type, c, l),
      })),
    { table: 'commands', limit: RETENTION_STEP_ROWS, step: (c, l) => d.db.prepare(DELETE_COMMANDS).run(c, l).changes },
    { table: 'refreshTokens', limit: RETENTION_STEP_ROWS, step: (c, l) => d.tokens.pruneRefreshBefore(c, l) },
    { table: 'reports', limit: REPORT_STEP_ROWS, step: (c, l) => reports.deleteBefore(c, l) },
    // The audit log is append-only: its records stay, their personal fields go (hash kept, chain intact).
    { table: 'auditRedacted', limit: RETENTION_STEP_ROWS, step: (c, l) => d.audit.redactBefore(c, l) },
  ];
}

/**
 * Removes personal data older than the retention period (DESIGN.md "Security": 90 days by
 * default, `--retention-days`): events of every type, operator commands, refresh tokens, report
 * files, and the personal fields of audit records. Runs in steps of at most RETENTION_STEP_ROWS
 * rows, each inside the group commit (its fsync off the loop) and awaited before the next, so
 * ingest and consoles keep being served during a pass over millions of rows. Deleted content is
 * zeroed in the file (secure_delete), not left in free pages. `signal` stops the pass between steps.
 */
export async function runRetention(d: RetentionDeps, now = Date.now(), signal?: AbortSignal): Promise<RetentionReport> {
  const cutoff = now - d.config.retentionDays * DAY_MS;
  const report: RetentionReport = {
    cutoff,
    deleted: { events: 0, commands: 0, refreshTokens: 0, reports: 0, auditRedacted: 0 },
    steps: 0,
    maxStepMs: 0,
  };
  for (const sweep of sweepsOf(d)) {
    for (;;) {
      if (signal?.aborted) return report;
      const n = await d.commits.run(() => {
        const started = performance.now();
        const deleted = withSecureDelete(d.db, () => sweep.step(cutoff, sweep.limit));
        report.maxStepMs = Math.max(report.maxStepMs, performance.now() - started);
        return deleted;
      });
      report.steps++;
      report.deleted[sweep.table] += n;
      if (n < sweep.limit) break;
    }
  }
  return report;
}
