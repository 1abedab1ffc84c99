import { SEVERITY_RANK, SiteDoc, type Severity, type SiteMode } from '@cr/shared';
import type * as Y from 'yjs';

/** What the overview map shows of a site, derived from its document. */
export interface SiteSummary {
  mode: SiteMode;
  openAlerts: number;
  worstSeverity?: Severity;
}

export function summariseSite(doc: Y.Doc): SiteSummary {
  const sd = new SiteDoc(doc);
  const open = sd.alerts().filter((a) => a.state !== 'resolved');
  let worst: Severity | undefined;
  for (const a of open) if (worst === undefined || SEVERITY_RANK[a.severity] < SEVERITY_RANK[worst]) worst = a.severity;
  return { mode: sd.meta().mode, openAlerts: open.length, ...(worst ? { worstSeverity: worst } : {}) };
}
