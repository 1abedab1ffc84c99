import type { ActiveAlert, AlertView } from '@cr/shared';

/** An alert known only from the tenant-wide feed: its site's document (history, notes) is not open here. */
export type SummaryAlert = AlertView & { summaryOnly: true };

/** The feed entry as an alert row: the state, severity and cause the feed carries, no history yet. */
export function alertFromFeed(a: ActiveAlert): SummaryAlert {
  return {
    ...a,
    source: 'feed',
    acks: [],
    notes: [],
    assignments: [],
    resolutions: [],
    causes: [],
    summaryOnly: true,
  };
}

/**
 * Alerts of the open site documents, plus every feed entry those documents do not hold: a site
 * document (full history, offline acks) wins for its alerts; any other site's unresolved alerts
 * come from the feed, so an alarm at a site whose document is not open is still listed and sounded.
 */
export function mergeAlertSources(fromDocs: readonly AlertView[], feed: readonly ActiveAlert[]): AlertView[] {
  const known = new Set(fromDocs.map((a) => `${a.siteId}|${a.id}`));
  return [...fromDocs, ...feed.filter((a) => !known.has(`${a.siteId}|${a.id}`)).map(alertFromFeed)];
}

/** Sites whose unacknowledged critical alarms must have their documents open (for acks and details), first raised first. */
export function sitesWithOpenCriticals(feed: readonly ActiveAlert[]): string[] {
  const out: string[] = [];
  for (const a of [...feed].sort((x, y) => x.raisedAt - y.raisedAt))
    if (a.severity === 'critical' && a.state === 'open' && !out.includes(a.siteId)) out.push(a.siteId);
  return out;
}
