import { createContext, useContext, useMemo, useRef, type ReactNode } from 'react';
import { SiteDoc, TenantDoc, VendorDoc, siteDocName, tenantDocName, vendorDocName, type SiteStatus } from '@cr/shared';
import type { User } from '../data/api-types';
import type { LiveDoc } from '../data/live-doc';
import type { FeedAlert } from '../features/alerts/alert-feed';
import { mergeAlertSources, sitesWithOpenCriticals } from '../features/alerts/feed-merge';
import { mergeSiteRows, siteFactsFromDoc, type LiveSiteFacts, type SiteRow } from '../features/overview/site-rows';
import { useCachedQuery } from '../hooks/use-cached-query';
import { useDocsVersion, useLiveDoc, useLiveDocs } from '../hooks/use-live-doc';
import { useServices } from './services-context';
import { useHash, parseRoute } from './router';

export interface LiveData {
  sites: SiteRow[];
  siteById: ReadonlyMap<string, SiteRow>;
  alerts: FeedAlert[];
  /** open site documents by site id (the alert console writes acks into them) */
  siteDocs: ReadonlyMap<string, LiveDoc>;
  sitesLoading: boolean;
}

export const LiveDataContext = createContext<LiveData | null>(null);

export function useLiveData(): LiveData {
  const v = useContext(LiveDataContext);
  if (!v) throw new Error('useLiveData outside LiveDataProvider');
  return v;
}

/** Site documents opened for live alerts: all sites while few, else those with open alerts (capped). */
export const WATCH_ALL_UP_TO = 40;
export const WATCH_CAP = 60;

/**
 * Sites with unacknowledged critical alarms come first and are never capped (their acks go into
 * the site document); then all sites while few, else those with open alerts, up to the cap.
 */
export function watchedSiteIds(rows: readonly SiteRow[], current: string | undefined, urgent: readonly string[] = []): string[] {
  const ids = rows.length <= WATCH_ALL_UP_TO ? rows.map((r) => r.id) : rows.filter((r) => r.openAlerts > 0).map((r) => r.id);
  const out = [...urgent];
  for (const id of ids) if (out.length < Math.max(WATCH_CAP, urgent.length) && !out.includes(id)) out.push(id);
  if (current && !out.includes(current)) out.push(current);
  return out;
}

/** Live sites and alerts for the whole console, shared by every view. */
export function LiveDataProvider({ user, children }: { user: User; children: ReactNode }) {
  const { api } = useServices();
  const vendor = user.role === 'vendor';
  const route = parseRoute(useHash());
  const rest = useCachedQuery({ queryKey: ['sites'], storageKey: `cr.sites.${user.id}`, queryFn: () => api.sites(), refetchInterval: 15_000 });
  const seesAll = user.role === 'hq-operator' || user.role === 'tenant-admin';
  const tenantLive = useLiveDoc(seesAll ? tenantDocName(user.tenantId) : undefined);
  const vendorLive = useLiveDoc(vendor ? vendorDocName(user.tenantId, user.id) : undefined);

  const baseRows = useMemo(() => mergeSiteRows({ rest: rest.data }), [rest.data]);
  const tenantVersion = useDocsVersion(useMemo(() => [tenantLive], [tenantLive]));
  // The tenant-wide feed of unresolved alerts (HQ roles): an alarm at any site, whatever is open here.
  const feed = useMemo(() => {
    void tenantVersion;
    return tenantLive ? new TenantDoc(tenantLive.doc).activeAlerts() : [];
  }, [tenantLive, tenantVersion]);
  const urgentKey = sitesWithOpenCriticals(feed).join('\n');
  const selectedSite = route.name === 'alerts' && route.alertId ? feed.find((a) => a.id === route.alertId)?.siteId : undefined;
  // The site on screen always has its document open (the booking timeline reads its occupancy).
  const current = route.name === 'site' || route.name === 'bookings' ? route.siteId : selectedSite;
  const watched = useMemo(
    () => (vendor ? [] : watchedSiteIds(baseRows, current, urgentKey ? urgentKey.split('\n') : []).map((id) => siteDocName(user.tenantId, id))),
    [vendor, baseRows, current, urgentKey, user.tenantId],
  );
  const docsByName = useLiveDocs(watched);
  const docList = useMemo(() => [vendorLive, ...docsByName.values()], [vendorLive, docsByName]);
  const version = useDocsVersion(docList);
  const previousRows = useRef(new Map<string, SiteRow>());

  const value = useMemo<LiveData>(() => {
    void version;
    // Site ids come from the document name, not from content a peer wrote.
    const byName = new Map([...docsByName].map(([name, live]) => [name.split(':')[2] ?? '', live]));
    const live: Record<string, LiveSiteFacts> = {};
    for (const [id, d] of byName) if (d.status.get().restored) live[id] = siteFactsFromDoc(new SiteDoc(d.doc));
    const tenant = tenantLive ? new TenantDoc(tenantLive.doc) : undefined;
    const vendorDoc = vendorLive ? new VendorDoc(vendorLive.doc) : undefined;
    const directory = tenant?.sites() ?? vendorDoc?.sites();
    const status: Record<string, SiteStatus | undefined> = {};
    if (tenant) for (const s of directory ?? []) status[s.id] = tenant.status(s.id);
    const sites = mergeSiteRows({ rest: rest.data, directory, status, live }, previousRows.current);
    previousRows.current = new Map(sites.map((s) => [s.id, s]));
    const siteById = new Map(sites.map((s) => [s.id, s]));
    const decorate = (a: ReturnType<SiteDoc['alerts']>[number]): FeedAlert => ({
      ...a,
      siteName: siteById.get(a.siteId)?.name ?? a.siteId,
      timezone: siteById.get(a.siteId)?.timezone ?? 'Asia/Seoul',
    });
    const fromDocs = [...byName].flatMap(([id, d]) => new SiteDoc(d.doc).alerts().filter((a) => a.siteId === id));
    const alerts = vendorDoc ? vendorDoc.alerts().map(decorate) : mergeAlertSources(fromDocs, feed).map(decorate);
    return { sites, siteById, alerts, siteDocs: byName, sitesLoading: rest.isPending && !rest.data };
  }, [version, tenantVersion, feed, docsByName, tenantLive, vendorLive, rest.data, rest.isPending]);

  return <LiveDataContext.Provider value={value}>{children}</LiveDataContext.Provider>;
}
