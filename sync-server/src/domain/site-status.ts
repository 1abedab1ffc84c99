import {
  ALERT_TYPES,
  SiteDoc,
  TenantDoc,
  alertId,
  findUnresolved,
  parseDocName,
  raiseAlert,
  resolveAlert,
  siteDocName,
  tenantDocName,
  type SiteMode,
} from '@cr/shared';
import type { DocRegistry } from '../sync/doc-registry';
import type { TenantsStore } from '../store/tenants-store';
import type { CloudMetrics } from '../metrics';
import { summariseSite, type SiteSummary } from './site-summary';

interface LinkState {
  online: boolean;
  lastSeenAt: number;
  /** the edge's own view of the mode, from its hello/heartbeat */
  reportedMode?: SiteMode;
  /** the edge's fire state, from its hello/heartbeat */
  fireActive?: boolean;
  outboxDepth?: number;
}

const key = (tenantId: string, siteId: string): string => `${tenantId}/${siteId}`;

/**
 * Tracks each site's edge link and keeps the tenant document's `siteStatus` (online, mode, open
 * alerts, worst severity) current for the overview map. A site whose edge sent nothing for
 * `timeoutMs` goes offline and gets a `site.offline` alert in its document (deterministic id,
 * source cloud); its next message brings it back online and resolves that alert.
 */
export class SiteStatusService {
  private readonly links = new Map<string, LinkState>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly summaries = new Map<string, SiteSummary>();
  private readonly startedAt = Date.now();
  private siteListeners: Array<(tenantId: string, siteId: string) => void> = [];

  constructor(
    private readonly docs: DocRegistry,
    private readonly tenants: TenantsStore,
    private readonly metrics: CloudMetrics,
    private readonly timeoutMs: number,
  ) {
    docs.onUpdate((name) => {
      const parsed = parseDocName(name);
      if (parsed?.kind === 'site') this.scheduleRefresh(parsed.tenantId, parsed.siteId);
    });
  }

  /** Called (debounced) after a site document changed; views derived from it subscribe here. */
  onSiteChanged(fn: (tenantId: string, siteId: string) => void): void {
    this.siteListeners.push(fn);
  }

  isOnline(tenantId: string, siteId: string): boolean {
    return this.links.get(key(tenantId, siteId))?.online ?? false;
  }

  lastSeenAt(tenantId: string, siteId: string): number | undefined {
    return this.links.get(key(tenantId, siteId))?.lastSeenAt;
  }

  /** The site's mode and fire state as its gateway last reported them (kept while it is offline). */
  reportedState(tenantId: string, siteId: string): { mode: SiteMode; fireActive: boolean } | undefined {
    const link = this.links.get(key(tenantId, siteId));
    return link?.reportedMode ? { mode: link.reportedMode, fireActive: link.fireActive === true } : undefined;
  }

  /** Any message from a site's edge. */
  seen(
    tenantId: string,
    siteId: string,
    report: { mode?: SiteMode; fireActive?: boolean; outboxDepth?: number } = {},
    now = Date.now(),
  ): void {
    const k = key(tenantId, siteId);
    const cur = this.links.get(k);
    const wasOnline = cur?.online ?? false;
    this.links.set(k, {
      online: true,
      lastSeenAt: now,
      reportedMode: report.mode ?? cur?.reportedMode,
      fireActive: report.fireActive ?? cur?.fireActive,
      outboxDepth: report.outboxDepth ?? cur?.outboxDepth,
    });
    if (!wasOnline) this.cameOnline(tenantId, siteId, now);
  }

  /** Checks every site against the link timeout; called on a timer. */
  tick(now = Date.now()): void {
    for (const site of this.tenants.allSites()) {
      const k = key(site.tenantId, site.id);
      const cur = this.links.get(k);
      const last = cur?.lastSeenAt ?? this.startedAt;
      if (now - last < this.timeoutMs) continue;
      if (cur?.online === false) continue;
      this.links.set(k, { ...(cur ?? {}), online: false, lastSeenAt: last });
      this.wentOffline(site.tenantId, site.id, last);
    }
    this.metrics.sitesOnline.set([...this.links.values()].filter((l) => l.online).length);
  }

  private wentOffline(tenantId: string, siteId: string, since: number): void {
    this.docs.mutate(siteDocName(tenantId, siteId), (doc) => {
      if (findUnresolved(doc, { type: 'site.offline' }).length > 0) return;
      raiseAlert(doc, {
        id: alertId(siteId, 'cloud', 'site.offline', since),
        siteId,
        type: 'site.offline',
        severity: ALERT_TYPES['site.offline'].severity,
        raisedAt: Date.now(),
        message: `no contact with the site's edge gateway since ${new Date(since).toISOString()}`,
        source: 'cloud',
      });
    });
    this.refresh(tenantId, siteId);
  }

  private cameOnline(tenantId: string, siteId: string, now: number): void {
    if (!this.tenants.site(tenantId, siteId)) return;
    this.docs.mutate(siteDocName(tenantId, siteId), (doc) => {
      for (const a of findUnresolved(doc, { type: 'site.offline' }))
        resolveAlert(doc, a.id, { by: 'cloud', at: now, where: 'cloud', reason: 'edge link back' });
    });
    this.refresh(tenantId, siteId);
  }

  private scheduleRefresh(tenantId: string, siteId: string): void {
    const k = key(tenantId, siteId);
    if (this.pending.has(k)) return;
    this.pending.set(
      k,
      setTimeout(() => {
        this.pending.delete(k);
        this.refresh(tenantId, siteId);
      }, 50),
    );
  }

  /** The summary the overview shows; computed from the site document. */
  summary(tenantId: string, siteId: string): SiteSummary {
    const k = key(tenantId, siteId);
    const cached = this.summaries.get(k);
    if (cached) return cached;
    const s = this.docs.read(siteDocName(tenantId, siteId), summariseSite);
    this.summaries.set(k, s);
    return s;
  }

  /** Recomputes a site's summary and writes the tenant document's status entry. */
  refresh(tenantId: string, siteId: string): void {
    if (!this.tenants.site(tenantId, siteId)) return;
    this.summaries.delete(key(tenantId, siteId));
    const s = this.summary(tenantId, siteId);
    const link = this.links.get(key(tenantId, siteId));
    this.docs.mutate(tenantDocName(tenantId), (doc) => {
      new TenantDoc(doc).setStatus(siteId, {
        online: link?.online ?? false,
        mode: s.mode,
        openAlerts: s.openAlerts,
        worstSeverity: s.worstSeverity,
        lastSeenAt: link?.lastSeenAt,
        ts: Date.now(),
      });
    });
    for (const fn of this.siteListeners) fn(tenantId, siteId);
  }

  /** Devices of a site as its document holds them. */
  devices(tenantId: string, siteId: string) {
    return this.docs.read(siteDocName(tenantId, siteId), (doc) => new SiteDoc(doc).devices());
  }

  close(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}
