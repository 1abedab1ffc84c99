import type { SiteEvent } from '@cr/shared';
import type { AuditRecord, AuditStore } from '../store/audit-store';
import type { EventsStore, StoredBatch } from '../store/events-store';
import type { CommitQueue } from '../store/commit-queue';
import type { AuditPort, EventsPort } from '../store/ports';

/**
 * Stores one minimised batch and the audit records its events imply; resolves once both are
 * durable. The events are unique per (tenant, site, id) and the audit records per id, so a batch
 * written twice (re-sent by the edge, redelivered by the stream) is stored once.
 */
export type IngestWrite = (tenantId: string, siteId: string, events: SiteEvent[], audits: AuditRecord[], now: number) => Promise<StoredBatch>;

/** SQLite: the batch joins the group commit, events and audit records in one transaction. */
export function groupCommitWrite(commits: CommitQueue, events: EventsStore, audit: AuditStore): IngestWrite {
  return (tenantId, siteId, batch, audits, now) =>
    commits.run(() => {
      const stored = events.insertRows(tenantId, siteId, batch, now);
      for (const a of audits) audit.appendOnce(tenantId, a);
      return stored;
    });
}

/**
 * A store whose calls commit one by one (PostgreSQL): the events, then the audit records. A crash
 * in between leaves the batch unacknowledged; the edge sends it again and the audit records follow.
 */
export function directWrite(events: EventsPort, audit: AuditPort): IngestWrite {
  return async (tenantId, siteId, batch, audits, now) => {
    const stored = await events.insertBatch(tenantId, siteId, batch, now);
    for (const a of audits) await audit.appendOnce(tenantId, a);
    return stored;
  };
}
