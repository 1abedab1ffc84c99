import { DEMO_SITES, DEMO_TENANT, FACILITY_KINDS, type ReportedDevice } from '@cr/shared';
import type { DeviceReport } from '../store/device-reports-store';
import { defaultCloudLog, type CloudLog } from '../log';
import type { DeviceReportsPort } from '../store/ports';

const key = (tenantId: string, siteId: string): string => `${tenantId}/${siteId}`;

const byId = (a: ReportedDevice, b: ReportedDevice): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A demo site's plan as its seeded devices: approved, offline until its edge says otherwise. */
function demoPlan(siteId: string): ReportedDevice[] | undefined {
  const site = DEMO_SITES.find((s) => s.id === siteId);
  return site?.devices.map((d) => ({
    id: d.id,
    kind: d.kind,
    name: d.name,
    zoneId: d.zoneId,
    ...(d.doorId ? { doorId: d.doorId } : {}),
    online: false,
    approval: 'approved' as const,
  }));
}

/**
 * The devices of each site as its edge reports them over the link (after every welcome, then on
 * every change): the server's record of a site's inventory, kept across restarts. The device
 * entries of the site document are a display copy that consoles (and LAN laptops, through the
 * edge) also write, so nothing listed here comes from it. Threat: a console adding a fake door, or
 * hiding a real one, that the API would then present to every operator as the site's inventory.
 */
export class SiteDevices {
  private reports = new Map<string, DeviceReport>();
  /** reports whose write failed: written again by the next report even when it is the same */
  private readonly unsaved = new Set<string>();

  constructor(
    private readonly store: DeviceReportsPort,
    /** a demo site whose edge never reported lists the demo plan's devices (CONTRACT.md §3) */
    private readonly demo: boolean,
    private readonly log: CloudLog = defaultCloudLog(),
  ) {}

  private readonly listeners = new Set<(tenantId: string, siteId: string, report: DeviceReport) => void>();

  /** Loads the reports stored (before a restart, or by other instances while news of them was lost). */
  async init(): Promise<void> {
    this.reports = await this.store.all();
  }

  /** Calls `fn` after each changed report this instance stored (the other instances are told). */
  onReported(fn: (tenantId: string, siteId: string, report: DeviceReport) => void): void {
    this.listeners.add(fn);
  }

  /** A report another instance stored: the newer one wins. */
  adopt(tenantId: string, siteId: string, report: DeviceReport): void {
    const k = key(tenantId, siteId);
    const cur = this.reports.get(k);
    if (!cur || cur.reportedAt <= report.reportedAt) this.reports.set(k, report);
  }

  /** An edge's whole list, replacing the last; stored (one statement) only when it changed. */
  report(tenantId: string, siteId: string, devices: readonly ReportedDevice[], now = Date.now()): Promise<void> {
    const list = [...new Map(devices.map((d) => [d.id, d])).values()].sort(byId);
    const k = key(tenantId, siteId);
    const cur = this.reports.get(k);
    if (cur && !this.unsaved.has(k) && JSON.stringify(cur.devices) === JSON.stringify(list)) return Promise.resolve();
    const next: DeviceReport = { devices: list, reportedAt: now };
    this.reports.set(k, next);
    return this.store.save(tenantId, siteId, next).then(
      () => {
        this.unsaved.delete(k);
        for (const fn of this.listeners) fn(tenantId, siteId, next);
      },
      (err: Error) => {
        // The list still holds in memory; the edge's next report writes it.
        this.unsaved.add(k);
        this.log.error({ tenantId, siteId }, `site devices: report of ${siteId} not stored: ${err.message}`);
      },
    );
  }

  /** The site's devices as its edge last reported them; undefined when it never did. */
  reported(tenantId: string, siteId: string): ReportedDevice[] | undefined {
    return this.reports.get(key(tenantId, siteId))?.devices;
  }

  /** For the site view: the edge's report or, for a demo site that never reported, its seeded plan. */
  ofSite(tenantId: string, siteId: string): ReportedDevice[] {
    const reported = this.reported(tenantId, siteId);
    if (reported) return reported;
    return (this.demo && tenantId === DEMO_TENANT.id ? demoPlan(siteId) : undefined) ?? [];
  }
}

/**
 * What a vendor may see of a device list: facility devices only (vendor-view.ts). Threat: a vendor
 * learning where a client's doors, readers and cameras are.
 */
export function facilityOnly(devices: readonly ReportedDevice[]): ReportedDevice[] {
  return devices.filter((d) => FACILITY_KINDS.has(d.kind));
}
