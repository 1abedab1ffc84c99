import { DAY_MS } from '@cr/shared';
import type { GroupCommit } from '@cr/store-kit';
import type { CloudConfig } from '../config';
import type { Db } from '../store/db';
import type { EventsStore } from '../store/events-store';
import type { TokensStore } from '../store/tokens-store';
import type { AuditStore } from '../store/audit-store';
import { ReportsStore } from '../store/reports-store';
import { withSecureDelete } from '../store/scrub';
import { runSweeps, RETENTION_STEP_ROWS, REPORT_STEP_ROWS, type RetentionReport, type RetentionTable, type Sweep } from '../store/retention-sweeps';

export { RETENTION_STEP_ROWS, type RetentionReport } from '../store/retention-sweeps';

// Commands have no retention method in their SQLite store; the one statement lives here.
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

/** Each step runs inside the group commit (its fsync off the loop), deleted content zeroed in the file. */
function sweepsOf(d: Omit<RetentionDeps, 'config'>): Sweep[] {
  const reports = new ReportsStore(d.db);
  const inCommit =
    (table: RetentionTable, limit: number, step: (c: number, l: number) => number): Sweep => ({
      table,
      limit,
      step: (c, l) => d.commits.run(() => withSecureDelete(d.db, () => step(c, l))),
    });
  return [
    ...d.events.types().map((type) => inCommit('events', RETENTION_STEP_ROWS, (c, l) => d.events.deleteBefore(type, c, l))),
    inCommit('commands', RETENTION_STEP_ROWS, (c, l) => d.db.prepare(DELETE_COMMANDS).run(c, l).changes),
    inCommit('refreshTokens', RETENTION_STEP_ROWS, (c, l) => d.tokens.pruneRefreshBefore(c, l)),
    inCommit('reports', REPORT_STEP_ROWS, (c, l) => reports.deleteBefore(c, l)),
    // The audit log is append-only: its records stay, their personal fields go (hash kept, chain intact).
    inCommit('auditRedacted', RETENTION_STEP_ROWS, (c, l) => d.audit.redactBefore(c, l)),
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
  return retainSqlite(d, now - d.config.retentionDays * DAY_MS, signal);
}

/** The SQLite pass for a cutoff already worked out. */
export function retainSqlite(d: Omit<RetentionDeps, 'config'>, cutoff: number, signal?: AbortSignal): Promise<RetentionReport> {
  return runSweeps(sweepsOf(d), cutoff, signal);
}
