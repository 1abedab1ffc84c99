import type * as Y from 'yjs';
import { ALERT_MAPS, parseDocName } from '@cr/shared';
import type { Db } from '../../store/db';
import type { GroupCommit } from '@cr/store-kit';
import type { AuditRecord, AuditStore } from '../../store/audit-store';
import { defaultCloudLog, type CloudLog } from '../../log';
import { CLOUD_ORIGIN, type DocRegistry } from '../../sync/doc-registry';
import { actorOf, principalOf } from '../../sync/write-scope';
import {
  AUDITED_MAPS,
  alertEntryAudit,
  alertOfKey,
  alertTamperAudit,
  entryDigest,
  type AuditedMap,
  type Writer,
} from './alert-entry-audit';

export { alertEntryAudit } from './alert-entry-audit';

const SQL = { digest: "SELECT json_extract(details, '$.digest') AS digest FROM audit WHERE id = ?" } as const;

/** A new entry's record, and what to record instead should its key already have one with other content. */
interface EntryWrite {
  rec: AuditRecord;
  ifRewritten?: AuditRecord;
}

type Site = { tenantId: string; siteId: string };

/**
 * Keeps the audit log in step with the alert actions in every site document. A change that arrives
 * over a sync connection is credited to that connection's authenticated principal at the cloud's
 * receive time (the entry's own `by`/`at` are claims, kept as `claimedBy`/`claimedAt`): a console
 * cannot act in a colleague's name or back-date an action. Rewrites, deletions and unreadable
 * values of existing entries are recorded too. Records join the change's own group commit; a
 * document's entries are checked again whenever it is loaded, so an entry that reached the store
 * without being seen live (written by an older version) is still recorded, marked unverified.
 */
export class AlertAuditor {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditStore,
    /** records of a change join the change's own group commit; without it they commit at once */
    private readonly commits?: GroupCommit,
    private readonly log: CloudLog = defaultCloudLog(),
  ) {}

  attach(docs: DocRegistry): void {
    docs.onLoad((name, doc) => this.scan(name, doc));
    docs.onUpdate((name, doc, origin, tr) => this.changed(name, doc, origin, tr));
  }

  private scan(name: string, doc: Y.Doc): void {
    const site = siteOf(name);
    if (!site) return;
    const now = Date.now();
    const writes: EntryWrite[] = [];
    for (const [map] of AUDITED_MAPS)
      doc.getMap(map).forEach((value, key) => {
        const rec = alertEntryAudit(site, map, key, value, { via: 'load' }, now);
        if (rec) writes.push({ rec });
      });
    this.write(site, writes, []);
  }

  private changed(name: string, doc: Y.Doc, origin: unknown, tr: Y.Transaction): void {
    const site = siteOf(name);
    if (!site) return;
    const principal = principalOf(origin);
    const writer: Writer = principal
      ? { via: 'sync', ...actorOf(principal) }
      : origin === CLOUD_ORIGIN
        ? { via: 'cloud', actor: 'cloud' }
        : { via: 'load' };
    const now = Date.now();
    const writes: EntryWrite[] = [];
    const deleted = new Map<AuditedMap, string[]>();
    for (const [map] of AUDITED_MAPS) {
      const entries = doc.getMap(map);
      // Yjs types its change map by the base type; a root map is one.
      const keys = tr.changed.get(entries as unknown as Y.AbstractType<Y.YEvent<Y.Map<unknown>>>);
      for (const key of keys ?? []) {
        if (key === null) continue;
        if (!entries.has(key)) {
          deleted.set(map, [...(deleted.get(map) ?? []), key]);
          continue;
        }
        const w = this.entryWrite(site, map, key, entries.get(key), writer, now);
        if (w) writes.push(w);
      }
    }
    const tamper = writer.via === 'load' ? [] : deletions(site, deleted, writer, now);
    this.write(site, writes, tamper);
  }

  private entryWrite(site: Site, map: AuditedMap, key: string, value: unknown, writer: Writer, now: number): EntryWrite | undefined {
    const rec = alertEntryAudit(site, map, key, value, writer, now);
    if (writer.via === 'load') return rec ? { rec } : undefined;
    const digest = entryDigest(value);
    // Threat: an unreadable value under an entry's key hides the action it replaced from every view.
    if (!rec) return { rec: alertTamperAudit(site, 'invalid', map, [key], writer, now, digest) };
    return { rec, ifRewritten: alertTamperAudit(site, 'edit', map, [key], writer, now, digest) };
  }

  private write(site: Site, writes: EntryWrite[], tamper: AuditRecord[]): void {
    if (writes.length === 0 && tamper.length === 0) return;
    const run = () => {
      for (const w of writes) {
        if (this.audit.appendOnce(site.tenantId, w.rec) || !w.ifRewritten) continue;
        // Same key seen before: a client re-sending the entry adds nothing; other content is a rewrite.
        const prior = this.db.prepare(SQL.digest).get(w.rec.id) as { digest: string | null } | undefined;
        if (prior?.digest !== w.rec.details?.digest) this.audit.appendOnce(site.tenantId, w.ifRewritten);
      }
      for (const r of tamper) this.audit.appendOnce(site.tenantId, r);
    };
    if (!this.commits) return void this.db.transaction(run)();
    // A lost entry record is recovered on the document's next load (the scan), so a failure only logs.
    this.commits
      .run(run)
      .catch((err: Error) => this.log.error({ tenantId: site.tenantId, siteId: site.siteId }, `audit: alert actions of ${site.siteId} not recorded: ${err.message}`));
  }
}

function siteOf(name: string): Site | undefined {
  const doc = parseDocName(name);
  return doc?.kind === 'site' ? { tenantId: doc.tenantId, siteId: doc.siteId } : undefined;
}

/**
 * One record per alert whose entries were removed: `alert.delete` when the alert itself went (its
 * entries with it, as pruning does), else `alert.<action>.delete` per kind of entry removed.
 */
function deletions(site: Site, deleted: Map<AuditedMap, string[]>, writer: Extract<Writer, { via: 'sync' | 'cloud' }>, now: number): AuditRecord[] {
  const goneAlerts = new Set(deleted.get(ALERT_MAPS.alerts) ?? []);
  const out: AuditRecord[] = [];
  const folded = new Map<string, string[]>([...goneAlerts].map((id) => [id, [id]]));
  for (const [map, keys] of deleted) {
    if (map === ALERT_MAPS.alerts) continue;
    const byAlert = new Map<string, string[]>();
    for (const key of keys) {
      const alertId = alertOfKey(map, key);
      const into = goneAlerts.has(alertId) ? folded : byAlert;
      into.set(alertId, [...(into.get(alertId) ?? []), key]);
    }
    for (const group of byAlert.values()) out.push(alertTamperAudit(site, 'delete', map, group, writer, now));
  }
  for (const group of folded.values()) out.push(alertTamperAudit(site, 'delete', ALERT_MAPS.alerts, group, writer, now));
  return out;
}
