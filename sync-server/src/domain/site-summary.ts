import { ALERT_MAPS, SEVERITY_RANK, SITE_MAPS, SiteDoc, feedEntriesOf, type ActiveAlert, type AlertView, type Severity, type SiteMode } from '@cr/shared';
import type * as Y from 'yjs';

/**
 * Root maps of a site document whose changes can change what is derived from it: the summary
 * (alerts, mode), the vendors' views (facility devices and their faults) and notifications.
 * Device state, occupancy, pins, zones and resource use never do.
 */
const SUMMARY_ROOTS: ReadonlySet<string> = new Set([...Object.values(ALERT_MAPS), SITE_MAPS.meta, SITE_MAPS.devices, SITE_MAPS.availability]);

/** A shared type as far as finding its root goes: the item it sits in names its parent. */
type Nested = { _item: { parent: unknown } | null };

/** Whether a transaction on a site document changed anything its summary and derived views read. */
export function touchesSummary(doc: Y.Doc, tr: Y.Transaction): boolean {
  const roots = new Set<unknown>();
  for (const type of tr.changed.keys()) {
    let t = type as unknown as Nested;
    while (t._item?.parent) t = t._item.parent as Nested;
    roots.add(t);
  }
  for (const [name, type] of doc.share) if (roots.has(type) && SUMMARY_ROOTS.has(name)) return true;
  return false;
}

/** Open alerts and the worst of their severities. */
export interface AlertCounts {
  openAlerts: number;
  worstSeverity?: Severity;
}

/**
 * What the overview map shows of a site: the mode and fire state its edge last reported (the
 * server's record, never the site document's copy that consoles can write) and its open alerts.
 */
export interface SiteSummary extends AlertCounts {
  mode: SiteMode;
  fireActive: boolean;
  /** the site's unresolved alerts for the tenant-wide feed every HQ console follows */
  feed: ActiveAlert[];
}

export function countOpen(alerts: readonly AlertView[]): AlertCounts {
  const open = alerts.filter((a) => a.state !== 'resolved');
  let worst: Severity | undefined;
  for (const a of open) if (worst === undefined || SEVERITY_RANK[a.severity] < SEVERITY_RANK[worst]) worst = a.severity;
  return { openAlerts: open.length, ...(worst ? { worstSeverity: worst } : {}) };
}

export function summariseSite(siteId: string, doc: Y.Doc, reported: { mode: SiteMode; fireActive: boolean }): SiteSummary {
  const alerts = new SiteDoc(doc).alerts();
  return { mode: reported.mode, fireActive: reported.fireActive, ...countOpen(alerts), feed: feedEntriesOf(siteId, alerts) };
}
