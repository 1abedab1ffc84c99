import { siteModeSchema, type SiteMode } from '@cr/shared';
import type { Db } from './db';

/** A site's mode and fire state as its edge last reported them. */
export interface SiteReport {
  mode: SiteMode;
  fireActive: boolean;
  reportedAt: number;
}

const SQL = {
  all: 'SELECT tenant_id, site_id, mode, fire_active, reported_at FROM site_reports',
  upsert: `INSERT INTO site_reports (tenant_id, site_id, mode, fire_active, reported_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (tenant_id, site_id) DO UPDATE SET mode = excluded.mode, fire_active = excluded.fire_active,
    reported_at = excluded.reported_at`,
} as const;

interface Row {
  tenant_id: string;
  site_id: string;
  mode: string;
  fire_active: number;
  reported_at: number;
}

/**
 * The last report of each site's edge, kept across cloud restarts so the overview, the API and a
 * replacement gateway's welcome never fall back to what a console wrote into a site document.
 * Written only when the mode or fire state changes (not per heartbeat).
 */
export class SiteReportsStore {
  constructor(private readonly db: Db) {}

  /** Every stored report, keyed `tenant/site`; a row that does not parse is skipped. */
  all(): Map<string, SiteReport> {
    const out = new Map<string, SiteReport>();
    for (const r of this.db.prepare(SQL.all).all() as Row[]) {
      const mode = siteModeSchema.safeParse(r.mode);
      if (mode.success) out.set(`${r.tenant_id}/${r.site_id}`, { mode: mode.data, fireActive: r.fire_active === 1, reportedAt: r.reported_at });
    }
    return out;
  }

  save(tenantId: string, siteId: string, report: SiteReport): void {
    this.db.prepare(SQL.upsert).run(tenantId, siteId, report.mode, report.fireActive ? 1 : 0, report.reportedAt);
  }
}
