import {
  ALERT_TYPES,
  TenantDoc,
  alertId,
  findUnresolved,
  parseDocName,
  raiseAlert,
  markAlertCause,
  siteDocName,
  tenantDocName,
  type SiteMode,
} from '@cr/shared';
import type { DocRegistry } from '../sync/doc-registry';
import type { CloudMetrics } from '../metrics';
import type { SiteReport } from '../store/site-reports-store';
import { defaultCloudLog, type CloudLog } from '../log';
import { summariseSite, touchesSummary, type SiteSummary } from './site-summary';
import type { SiteReportsPort, TenantsPort } from '../store/ports';

interface LinkState {
  online: boolean;
  lastSeenAt: number;
  outboxDepth?: number;
  /** when the edge last synced its permission cache, in the cloud's clock */
  permissionsSyncedAt?: number;
  /** a message came since the start (else `lastSeenAt` is only the start the timeout counts from) */
  heard?: boolean;
}

/** What a site's edge last told the cloud, for the fleet metrics; fields absent when never reported. */
export interface SiteObservation {
  /** not timed out: a message within the link timeout */
  online: boolean;
  lastSeenAt?: number;
  outboxDepth?: number;
  /** the cloud's clock */
  permissionsSyncedAt?: number;
  mode?: SiteMode;
  fireActive?: boolean;
}

/** What one edge message reports of its site (each field absent when the message does not carry it). */
export interface EdgeReport {
  mode?: SiteMode;
  fireActive?: boolean;
  outboxDepth?: number;
  /**
   * age of the edge's permission cache when it sent the message (its `ts − permissionsSyncedAt`,
   * both in its own clock, so skew between the clocks cancels out); null: the edge never synced
   */
  permissionsAgeMs?: number | null;
}

/** A site whose edge never reported: the state every site is created in. */
const NEVER_REPORTED = { mode: 'normal', fireActive: false } as const;

const key = (tenantId: string, siteId: string): string => `${tenantId}/${siteId}`;

/**
 * Tracks each site's edge link and keeps the tenant document's `siteStatus` (online, mode, fire
 * state, open alerts, worst severity) current for the overview map, and its `activeAlerts` feed
 * (every site's unresolved alerts) for every HQ console's alert list and alarm sound. Mode and fire state are the
 * server's own facts: what the site's edge last reported (hello, heartbeat, an executed mode
 * command), stored across restarts; the `mode`/`fireActive` a console can write into the site
 * document are never read for status, the API or a gateway's welcome. A site whose edge sent
 * nothing for `timeoutMs` goes offline and gets a `site.offline` alert in its document
 * (deterministic id, source cloud); its next message brings it back online and resolves that alert.
 */
export class SiteStatusService {
  private readonly links = new Map<string, LinkState>();
  private reports = new Map<string, SiteReport>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly summaries = new Map<string, SiteSummary>();
  private readonly startedAt = Date.now();
  private siteListeners: Array<(tenantId: string, siteId: string) => void | Promise<void>> = [];
  private linkListeners: Array<(tenantId: string, siteId: string, online: boolean, at: number) => void> = [];

  constructor(
    private readonly docs: DocRegistry,
    private readonly tenants: TenantsPort,
    private readonly metrics: CloudMetrics,
    private readonly timeoutMs: number,
    /** where reports survive a restart; without it they live in memory only */
    private readonly store?: SiteReportsPort,
    private readonly log: CloudLog = defaultCloudLog(),
    /**
     * Other instances serve edge links too (CONTRACT §10): this one judges and writes only the links
     * it has heard itself; a site whose edge talks to another instance keeps what that one wrote.
     */
    private readonly shared = false,
  ) {
    // Only changes to what a summary reads (alerts, availability, mode) re-summarise a site.
    docs.onUpdate((name, doc, _origin, tr) => {
      const parsed = parseDocName(name);
      if (parsed?.kind === 'site' && touchesSummary(doc, tr)) this.scheduleRefresh(parsed.tenantId, parsed.siteId);
    });
  }

  /** Loads the reports stored before a restart; before the first edge is served. */
  async init(): Promise<void> {
    if (this.store) this.reports = await this.store.all();
  }

  /** Called (debounced) after a site document changed; views derived from it subscribe here. */
  onSiteChanged(fn: (tenantId: string, siteId: string) => void | Promise<void>): void {
    this.siteListeners.push(fn);
  }

  /** Called when a site's link comes up (a message after none) or times out (`at`: its last message). */
  onLinkChanged(fn: (tenantId: string, siteId: string, online: boolean, at: number) => void): void {
    this.linkListeners.push(fn);
  }

  isOnline(tenantId: string, siteId: string): boolean {
    return this.links.get(key(tenantId, siteId))?.online ?? false;
  }

  lastSeenAt(tenantId: string, siteId: string): number | undefined {
    return this.links.get(key(tenantId, siteId))?.lastSeenAt;
  }

  /** The site's link and its edge's last report, as they are (nothing defaulted), for the fleet metrics. */
  observation(tenantId: string, siteId: string): SiteObservation {
    const k = key(tenantId, siteId);
    const link = this.links.get(k);
    const report = this.reports.get(k);
    return {
      online: link?.online ?? false,
      lastSeenAt: link?.heard ? link.lastSeenAt : undefined,
      outboxDepth: link?.outboxDepth,
      permissionsSyncedAt: link?.permissionsSyncedAt,
      mode: report?.mode,
      fireActive: report?.fireActive,
    };
  }

  /**
   * The site's mode and fire state as its gateway last reported them (kept while it is offline and
   * across restarts); `normal` without fire for a known site that never reported, undefined for an
   * unknown one. Threat: a console writing `fireActive: true` or `lockdown` into the site document,
   * which would otherwise reach the status map and a replacement gateway's welcome.
   */
  async reportedState(tenantId: string, siteId: string): Promise<{ mode: SiteMode; fireActive: boolean } | undefined> {
    const k = key(tenantId, siteId);
    // Another instance may have served the site's edge since: its last report is in the shared store.
    if (this.shared && this.store && !this.links.get(k)?.heard) {
      const stored = (await this.store.all()).get(k);
      if (stored) this.reports.set(k, stored);
    }
    const r = this.reports.get(k);
    if (r) return { mode: r.mode, fireActive: r.fireActive };
    return (await this.tenants.site(tenantId, siteId)) ? { ...NEVER_REPORTED } : undefined;
  }

  /** Facts of the site the server owns, for its edge's welcome: the time zone of the site directory. */
  async siteFacts(tenantId: string, siteId: string): Promise<{ timezone: string } | undefined> {
    const site = await this.tenants.site(tenantId, siteId);
    return site ? { timezone: site.timezone } : undefined;
  }

  /** Records a report; stored and shown only when the mode or fire state changed. */
  private report(
    tenantId: string,
    siteId: string,
    mode: SiteMode | undefined,
    fireActive: boolean | undefined,
    now: number,
  ): boolean {
    if (mode === undefined && fireActive === undefined) return false;
    const k = key(tenantId, siteId);
    const cur = this.reports.get(k);
    const next: SiteReport = {
      mode: mode ?? cur?.mode ?? NEVER_REPORTED.mode,
      fireActive: fireActive ?? cur?.fireActive ?? NEVER_REPORTED.fireActive,
      reportedAt: now,
    };
    if (cur && cur.mode === next.mode && cur.fireActive === next.fireActive) return false;
    this.reports.set(k, next);
    const store = this.store;
    if (store)
      void (async () => store.save(tenantId, siteId, next))().catch((err: unknown) => {
        // The report still holds in memory; the edge repeats it with its next heartbeat.
        this.log.error({ tenantId, siteId }, `site status: report of ${siteId} not stored: ${(err as Error).message}`);
      });
    return true;
  }

  /** Any message from a site's edge. */
  seen(tenantId: string, siteId: string, report: EdgeReport = {}, now = Date.now()): void {
    const k = key(tenantId, siteId);
    const cur = this.links.get(k);
    const wasOnline = cur?.online ?? false;
    const age = report.permissionsAgeMs;
    this.links.set(k, {
      online: true,
      heard: true,
      lastSeenAt: now,
      outboxDepth: report.outboxDepth ?? cur?.outboxDepth,
      permissionsSyncedAt:
        age === undefined ? cur?.permissionsSyncedAt : age === null ? undefined : now - Math.max(0, age),
    });
    const changed = this.report(tenantId, siteId, report.mode, report.fireActive, now);
    if (!wasOnline) for (const fn of this.linkListeners) fn(tenantId, siteId, true, now);
    if (!wasOnline) this.background(tenantId, siteId, this.cameOnline(tenantId, siteId, now));
    else if (changed) this.background(tenantId, siteId, this.refresh(tenantId, siteId));
  }

  private background(tenantId: string, siteId: string, work: Promise<void>): void {
    work.catch((err: unknown) =>
      this.log.error({ tenantId, siteId }, `site status: ${siteId} not updated: ${(err as Error).message}`),
    );
  }

  /** Checks every site against the link timeout; called on a timer. */
  async tick(now = Date.now()): Promise<void> {
    for (const site of await this.tenants.allSites()) {
      const k = key(site.tenantId, site.id);
      const cur = this.links.get(k);
      if (this.shared && !cur?.heard) continue;
      const last = cur?.lastSeenAt ?? this.startedAt;
      if (now - last < this.timeoutMs) continue;
      if (cur?.online === false) continue;
      this.links.set(k, { ...(cur ?? {}), online: false, lastSeenAt: last });
      for (const fn of this.linkListeners) fn(site.tenantId, site.id, false, last);
      this.background(site.tenantId, site.id, this.wentOffline(site.tenantId, site.id, last));
    }
    this.metrics.sitesOnline.set([...this.links.values()].filter((l) => l.online).length);
  }

  private async wentOffline(tenantId: string, siteId: string, since: number): Promise<void> {
    await this.docs.mutate(siteDocName(tenantId, siteId), (doc) => {
      const unresolved = findUnresolved(doc, { type: 'site.offline' });
      if (unresolved.some((a) => !a.causeCleared)) return;
      // Offline again before anyone resolved the last outage: the same alarm, its cause back.
      if (unresolved[0]) return void markAlertCause(doc, unresolved[0].id, { state: 'active', by: 'cloud', at: Date.now(), reason: 'edge link lost again' });
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
    await this.refresh(tenantId, siteId);
  }

  private async cameOnline(tenantId: string, siteId: string, now: number): Promise<void> {
    if (!(await this.tenants.site(tenantId, siteId))) return;
    await this.docs.mutate(siteDocName(tenantId, siteId), (doc) => {
      for (const a of findUnresolved(doc, { type: 'site.offline' }))
        if (!a.causeCleared) markAlertCause(doc, a.id, { state: 'cleared', by: 'cloud', at: now, reason: 'edge link back' });
    });
    await this.refresh(tenantId, siteId);
  }

  private scheduleRefresh(tenantId: string, siteId: string): void {
    const k = key(tenantId, siteId);
    if (this.pending.has(k)) return;
    this.pending.set(
      k,
      setTimeout(() => {
        this.pending.delete(k);
        this.background(tenantId, siteId, this.refresh(tenantId, siteId));
      }, 50),
    );
  }

  /** The summary the overview shows: mode and fire state as reported by the edge, alerts from the site document. */
  async summary(tenantId: string, siteId: string): Promise<SiteSummary> {
    const k = key(tenantId, siteId);
    const cached = this.summaries.get(k);
    if (cached) return cached;
    const reported = (await this.reportedState(tenantId, siteId)) ?? NEVER_REPORTED;
    const s = await this.docs.read(siteDocName(tenantId, siteId), (doc) => summariseSite(siteId, doc, reported));
    this.summaries.set(k, s);
    return s;
  }

  /** Recomputes a site's summary and writes the tenant document's status entry. */
  async refresh(tenantId: string, siteId: string): Promise<void> {
    if (!(await this.tenants.site(tenantId, siteId))) return;
    this.summaries.delete(key(tenantId, siteId));
    const s = await this.summary(tenantId, siteId);
    const link = this.links.get(key(tenantId, siteId));
    await this.docs.mutate(tenantDocName(tenantId), (doc) => {
      const td = new TenantDoc(doc);
      // Link facts (online, mode, fire) come from the instance that serves the link.
      const theirs = this.shared && !link?.heard ? td.status(siteId) : undefined;
      td.setStatus(siteId, {
        online: theirs ? theirs.online : (link?.online ?? false),
        mode: theirs ? theirs.mode : s.mode,
        fireActive: theirs ? theirs.fireActive : s.fireActive,
        openAlerts: s.openAlerts,
        worstSeverity: s.worstSeverity,
        lastSeenAt: theirs ? theirs.lastSeenAt : link?.lastSeenAt,
        ts: Date.now(),
      });
      // Every HQ console follows this feed, so an alarm at any site shows without its document.
      td.setActiveAlerts(siteId, s.feed);
    });
    // A view that fails to follow (its store busy or away) is logged; it never stops the process.
    for (const fn of this.siteListeners)
      void Promise.resolve()
        .then(() => fn(tenantId, siteId))
        .catch((err: Error) => this.log.error({ tenantId, siteId }, `site status: a view of ${siteId} not updated: ${err.message}`));
  }

  close(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}
