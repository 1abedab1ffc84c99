import type { GroupCommit } from '@cr/store-kit';
import type { AuditRecord, AuditStore } from '../../store/audit-store';
import type { AuditPort } from '../../store/ports';
import type { CloudLog } from '../../log';

export type AuditSite = { tenantId: string; siteId: string };

/** A new entry's record, and what to record instead should its key already have one with other content. */
export interface EntryWrite {
  rec: AuditRecord;
  ifRewritten?: AuditRecord;
}

/** Where the alert auditor's records go. A lost entry record is recovered on the document's next load (its scan). */
export interface AlertAuditWriter {
  write(site: AuditSite, writes: EntryWrite[], tamper: AuditRecord[]): void;
  /** resolves once every record handed over so far is written (or failed and logged) */
  flush(): Promise<void>;
}

/** Same key seen before: a client re-sending the entry adds nothing; other content is a rewrite. */
const rewritten = (w: EntryWrite, priorDigest: string | undefined): boolean => priorDigest !== w.rec.details?.digest;

const failed = (log: CloudLog, site: AuditSite, err: Error): void =>
  log.error(
    { tenantId: site.tenantId, siteId: site.siteId },
    `audit: alert actions of ${site.siteId} not recorded: ${err.message}`,
  );

/** SQLite: the records join the change's own group commit (without one, they commit at once). */
export function sqliteAlertAuditWriter(audit: AuditStore, log: CloudLog, commits?: GroupCommit): AlertAuditWriter {
  let last: Promise<void> = Promise.resolve();
  return {
    write(site, writes, tamper) {
      const run = () => {
        for (const w of writes) {
          if (audit.appendOnce(site.tenantId, w.rec) || !w.ifRewritten) continue;
          if (rewritten(w, audit.digestOf(w.rec.id))) audit.appendOnce(site.tenantId, w.ifRewritten);
        }
        for (const r of tamper) audit.appendOnce(site.tenantId, r);
      };
      if (!commits) return void audit.transaction(run);
      last = commits.run(run).catch((err: Error) => failed(log, site, err));
    },
    flush: () => last,
  };
}

/**
 * PostgreSQL: records are written in the order the changes happened, one change after another,
 * so a rewrite is compared with the record before it.
 */
export function queuedAlertAuditWriter(audit: AuditPort, log: CloudLog): AlertAuditWriter {
  let queue: Promise<void> = Promise.resolve();
  return {
    write(site, writes, tamper) {
      queue = queue
        .then(async () => {
          for (const w of writes) {
            if ((await audit.appendOnce(site.tenantId, w.rec)) || !w.ifRewritten) continue;
            if (rewritten(w, await audit.digestOf(w.rec.id))) await audit.appendOnce(site.tenantId, w.ifRewritten);
          }
          for (const r of tamper) await audit.appendOnce(site.tenantId, r);
        })
        .catch((err: Error) => failed(log, site, err));
    },
    flush: () => queue,
  };
}
