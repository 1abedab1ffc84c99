import { SEVERITY_RANK, SiteDoc, feedEntriesOf, type ActiveAlert, type AlertView, type Severity, type SiteMode } from '@cr/shared';
import type * as Y from 'yjs';

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
