import { SEVERITY_RANK, type AlertView, type Role, type Severity } from '@cr/shared';

/** An alert with the site facts every row needs. */
export interface FeedAlert extends AlertView {
  siteName: string;
  timezone: string;
}

export type StateFilter = 'active' | 'open' | 'acknowledged' | 'resolved' | 'all';
export interface AlertFilter {
  state: StateFilter;
  severity: Severity | 'all';
  siteId: string;
  text: string;
}
export type AlertSort = 'severity' | 'newest' | 'oldest';

export const DEFAULT_FILTER: AlertFilter = { state: 'active', severity: 'all', siteId: 'all', text: '' };

export function matchesFilter(a: FeedAlert, f: AlertFilter): boolean {
  if (f.state === 'active' && a.state === 'resolved') return false;
  if (f.state !== 'active' && f.state !== 'all' && a.state !== f.state) return false;
  if (f.severity !== 'all' && a.severity !== f.severity) return false;
  if (f.siteId !== 'all' && a.siteId !== f.siteId) return false;
  const text = f.text.trim().toLowerCase();
  if (text) {
    const hay = `${a.type} ${a.siteId} ${a.siteName} ${a.deviceId ?? ''} ${a.zoneId ?? ''} ${a.message ?? ''} ${a.assignee ?? ''}`.toLowerCase();
    if (!hay.includes(text)) return false;
  }
  return true;
}

const STATE_RANK = { open: 0, acknowledged: 1, resolved: 2 } as const;

/** Open before acknowledged before resolved, then by the chosen order; ties by id so rows never jump. */
export function sortAlerts(alerts: readonly FeedAlert[], sort: AlertSort): FeedAlert[] {
  return [...alerts].sort((a, b) => {
    const byState = STATE_RANK[a.state] - STATE_RANK[b.state];
    if (byState) return byState;
    if (sort === 'severity') {
      const bySeverity = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
      if (bySeverity) return bySeverity;
    }
    const byTime = sort === 'oldest' ? a.raisedAt - b.raisedAt : b.raisedAt - a.raisedAt;
    return byTime || a.id.localeCompare(b.id);
  });
}

export function visibleAlerts(alerts: readonly FeedAlert[], filter: AlertFilter, sort: AlertSort): FeedAlert[] {
  return sortAlerts(alerts.filter((a) => matchesFilter(a, filter)), sort);
}

/** Critical alerts nobody has acknowledged yet: these sound and notify. */
export function unacknowledgedCriticals(alerts: readonly FeedAlert[]): FeedAlert[] {
  return alerts.filter((a) => a.severity === 'critical' && a.state === 'open');
}

/** Critical open alerts not announced before; `announced` is updated in place. */
export function takeNewCriticals(alerts: readonly FeedAlert[], announced: Set<string>): FeedAlert[] {
  const fresh = unacknowledgedCriticals(alerts).filter((a) => !announced.has(a.id));
  for (const a of fresh) announced.add(a.id);
  return fresh;
}

/** How the console is connected when a person acts; recorded as `where` on acks, notes and resolutions. */
export type Via = 'cloud' | 'lan' | 'offline';

export function whereOf(role: Role, via: Via): string {
  if (via === 'lan') return 'lan';
  if (via === 'offline') return 'offline';
  return role === 'hq-operator' ? 'hq' : 'console';
}

export function countsByState(alerts: readonly FeedAlert[]): Record<'open' | 'acknowledged' | 'resolved', number> {
  const out = { open: 0, acknowledged: 0, resolved: 0 };
  for (const a of alerts) out[a.state]++;
  return out;
}
