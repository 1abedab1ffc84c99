import type * as Y from 'yjs';
import { ALERT_MAPS, ackSchema, assignmentSchema, noteSchema, parseDocName, resolutionSchema } from '@cr/shared';
import type { Db } from '../../store/db';
import type { GroupCommit } from '@cr/store-kit';
import type { AuditRecord, AuditStore } from '../../store/audit-store';
import type { DocRegistry } from '../../sync/doc-registry';
import { stableAuditId } from './audit-ids';

/** Entry maps of the alert schema that record people's actions, and their audit action. */
const AUDITED_MAPS = [
  [ALERT_MAPS.acks, 'alert.ack'],
  [ALERT_MAPS.assignments, 'alert.assign'],
  [ALERT_MAPS.notes, 'alert.note'],
  [ALERT_MAPS.resolutions, 'alert.resolve'],
] as const;

/** A client clock ahead of ours by more than this is not believed for the record's time. */
const MAX_FUTURE_MS = 5 * 60_000;

const entrySchemas = {
  [ALERT_MAPS.acks]: ackSchema,
  [ALERT_MAPS.assignments]: assignmentSchema,
  [ALERT_MAPS.notes]: noteSchema,
  [ALERT_MAPS.resolutions]: resolutionSchema,
} as const;

type MapName = (typeof AUDITED_MAPS)[number][0];

/**
 * The audit record of one alert entry (an ack, assignment, note or resolution written into a site
 * document by a console, a LAN laptop or a gateway), or undefined when the entry does not parse.
 * Its id is derived from the entry key, which the alert schema makes unique per action, so the
 * entry is recorded once however often the document is loaded, merged or re-sent.
 */
export function alertEntryAudit(
  tenantId: string,
  siteId: string,
  map: MapName,
  key: string,
  value: unknown,
  now: number,
): AuditRecord | undefined {
  const alertId = (value as { alertId?: unknown } | null)?.alertId;
  const parsed = entrySchemas[map].safeParse(value);
  if (typeof alertId !== 'string' || !parsed.success) return undefined;
  const e = parsed.data as {
    by: string;
    at: number;
    where?: string;
    to?: string;
    id?: string;
    text?: string;
    reason?: string;
  };
  const action = AUDITED_MAPS.find(([m]) => m === map)![1];
  return {
    id: stableAuditId('alert-entry', tenantId, siteId, map, key),
    // When it was done, even offline hours ago; a clock far in the future is replaced by ours.
    ts: e.at > now + MAX_FUTURE_MS ? now : e.at,
    actor: e.by === 'edge' ? `edge:${siteId}` : e.by,
    action,
    target: alertId,
    result: 'ok',
    siteId,
    source: e.where ?? 'document',
    details: {
      recordedAt: now,
      ...(e.to ? { to: e.to } : {}),
      ...(e.reason ? { reason: e.reason } : {}),
      ...(e.id ? { noteId: e.id } : {}),
      ...(e.text ? { text: e.text.slice(0, 500) } : {}),
    },
  };
}

/**
 * Keeps the audit log in step with the alert actions in every site document: each entry that
 * appears (typed at HQ, merged from an offline laptop through the edge, written by a gateway) is
 * recorded after the change is persisted; a document's entries are checked again whenever it is
 * loaded, so an entry stored just before a crash is still recorded, and never twice.
 */
export class AlertAuditor {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditStore,
    /** records of a change join the change's own group commit; without it they commit at once */
    private readonly commits?: GroupCommit,
  ) {}

  attach(docs: DocRegistry): void {
    docs.onLoad((name, doc) => this.scan(name, doc));
    docs.onUpdate((name, doc, _origin, tr) => this.changed(name, doc, tr));
  }

  private scan(name: string, doc: Y.Doc): void {
    const site = parseDocName(name);
    if (site?.kind !== 'site') return;
    this.record(site.tenantId, site.siteId, doc, (map) => [...doc.getMap(map).keys()]);
  }

  private changed(name: string, doc: Y.Doc, tr: Y.Transaction): void {
    const site = parseDocName(name);
    if (site?.kind !== 'site') return;
    this.record(site.tenantId, site.siteId, doc, (map) => {
      // Yjs types its change map by the base type; a root map is one.
      const keys = tr.changed.get(doc.getMap(map) as unknown as Y.AbstractType<Y.YEvent<Y.Map<unknown>>>);
      return keys ? [...keys].filter((k): k is string => k !== null) : [];
    });
  }

  private record(tenantId: string, siteId: string, doc: Y.Doc, keysOf: (map: MapName) => string[]): void {
    const now = Date.now();
    const records: AuditRecord[] = [];
    for (const [map] of AUDITED_MAPS) {
      const entries = doc.getMap(map);
      for (const key of keysOf(map)) {
        // A deleted key (pruned resolved alert) is not an action.
        const rec = entries.has(key) ? alertEntryAudit(tenantId, siteId, map, key, entries.get(key), now) : undefined;
        if (rec) records.push(rec);
      }
    }
    if (records.length === 0) return;
    const write = () => {
      for (const r of records) this.audit.appendOnce(tenantId, r);
    };
    if (!this.commits) return void this.db.transaction(write)();
    // A lost record is recovered on the document's next load (the scan), so a failure only logs.
    this.commits.run(write).catch((err: Error) => console.error(`audit: alert actions of ${siteId} not recorded: ${err.message}`));
  }
}
