import type * as Y from 'yjs';
import { ALERT_MAPS, parseDocName } from '@cr/shared';
import type { AuditRecord } from '../../store/audit-store';
import { CLOUD_ORIGIN, REMOTE_ORIGIN, type DocRegistry } from '../../sync/doc-registry';
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
import type { AlertAuditWriter, AuditSite as Site, EntryWrite } from './alert-audit-writers';

export { alertEntryAudit } from './alert-entry-audit';

/**
 * Keeps the audit log in step with the alert actions in every site document. A change that arrives
 * over a sync connection is credited to that connection's authenticated principal at the cloud's
 * receive time (the entry's own `by`/`at` are claims, kept as `claimedBy`/`claimedAt`): a console
 * cannot act in a colleague's name or back-date an action. Rewrites, deletions and unreadable
 * values of existing entries are recorded too. Records join the change's own group commit; a
 * document's entries are checked again whenever it is loaded, so an entry that reached the store
 * without being seen live (written by an older version) is still recorded, marked unverified.
 * With several instances, the instance that received a change records it; the others, which apply
 * it from the bus, do not.
 */
export class AlertAuditor {
  constructor(private readonly writer: AlertAuditWriter) {}

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
    if (!site || origin === REMOTE_ORIGIN) return;
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
    this.writer.write(site, writes, tamper);
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
