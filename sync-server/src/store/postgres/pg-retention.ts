import { emptyReport, runSweeps, RETENTION_STEP_ROWS, REPORT_STEP_ROWS, type RetentionReport } from '../retention-sweeps';
import type { PgAuditStore } from './pg-audit-store';
import type { PgCommandsStore } from './pg-commands-store';
import type { PgEventsStore } from './pg-events-store';
import type { PgReportsStore } from './pg-reports-store';
import type { PgTokensStore } from './pg-tokens-store';

export interface PgRetentionStores {
  events: PgEventsStore;
  commands: PgCommandsStore;
  tokens: PgTokensStore;
  reports: PgReportsStore;
  audit: PgAuditStore;
}

/**
 * Retention on PostgreSQL: whole daily event partitions that end before the cutoff are dropped
 * (no row-by-row delete, no bloat), then what is left older than the cutoff (the cutoff's own day,
 * the default partition) goes in steps, as do commands, refresh tokens, report files, and the
 * personal fields of audit records (the records and their chain stay).
 */
export async function runPostgresRetention(s: PgRetentionStores, cutoff: number, signal?: AbortSignal): Promise<RetentionReport> {
  const report = emptyReport(cutoff);
  report.partitionsDropped = await s.events.dropPartitionsBefore(cutoff);
  const types = await s.events.types();
  return runSweeps(
    [
      ...types.map((type) => ({
        table: 'events' as const,
        limit: RETENTION_STEP_ROWS,
        step: (c: number, l: number) => s.events.deleteBefore(type, c, l),
      })),
      { table: 'commands', limit: RETENTION_STEP_ROWS, step: (c, l) => s.commands.deleteBefore(c, l) },
      { table: 'refreshTokens', limit: RETENTION_STEP_ROWS, step: (c, l) => s.tokens.pruneRefreshBefore(c, l) },
      { table: 'reports', limit: REPORT_STEP_ROWS, step: (c, l) => s.reports.deleteBefore(c, l) },
      { table: 'auditRedacted', limit: RETENTION_STEP_ROWS, step: (c, l) => s.audit.redactBefore(c, l) },
    ],
    cutoff,
    signal,
    report,
  );
}
