import { siteModeSchema } from '@cr/shared';
import type { DeviceReportsPort, SiteReportsPort } from '../ports';
import type { SiteReport } from '../site-reports-store';
import { parseDeviceList, type DeviceReport } from '../device-reports-store';
import type { PgDb } from './pg-db';

const SQL = {
  reports: 'SELECT tenant_id, site_id, mode, fire_active, reported_at FROM site_reports',
  saveReport: `INSERT INTO site_reports (tenant_id, site_id, mode, fire_active, reported_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (tenant_id, site_id) DO UPDATE SET mode = excluded.mode, fire_active = excluded.fire_active,
    reported_at = excluded.reported_at`,
  devices: 'SELECT tenant_id, site_id, devices, reported_at FROM site_devices',
  saveDevices: `INSERT INTO site_devices (tenant_id, site_id, devices, reported_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (tenant_id, site_id) DO UPDATE SET devices = excluded.devices, reported_at = excluded.reported_at`,
} as const;

interface ReportRow {
  tenant_id: string;
  site_id: string;
  mode: string;
  fire_active: boolean;
  reported_at: number;
}

/** Each site's last reported mode and fire state in PostgreSQL (the same contract as SiteReportsStore). */
export class PgSiteReportsStore implements SiteReportsPort {
  constructor(private readonly db: PgDb) {}

  async all(): Promise<Map<string, SiteReport>> {
    const out = new Map<string, SiteReport>();
    for (const r of (await this.db.pool.query<ReportRow>(SQL.reports)).rows) {
      const mode = siteModeSchema.safeParse(r.mode);
      if (mode.success)
        out.set(`${r.tenant_id}/${r.site_id}`, {
          mode: mode.data,
          fireActive: r.fire_active,
          reportedAt: r.reported_at,
        });
    }
    return out;
  }

  async save(tenantId: string, siteId: string, report: SiteReport): Promise<void> {
    await this.db.pool.query(SQL.saveReport, [tenantId, siteId, report.mode, report.fireActive, report.reportedAt]);
  }
}

/** Each site's last reported device list in PostgreSQL (the same contract as DeviceReportsStore). */
export class PgDeviceReportsStore implements DeviceReportsPort {
  constructor(private readonly db: PgDb) {}

  async all(): Promise<Map<string, DeviceReport>> {
    const out = new Map<string, DeviceReport>();
    const rows = (
      await this.db.pool.query<{ tenant_id: string; site_id: string; devices: string; reported_at: number }>(
        SQL.devices,
      )
    ).rows;
    for (const r of rows) {
      const devices = parseDeviceList(r.devices);
      if (devices) out.set(`${r.tenant_id}/${r.site_id}`, { devices, reportedAt: r.reported_at });
    }
    return out;
  }

  async save(tenantId: string, siteId: string, report: DeviceReport): Promise<void> {
    await this.db.pool.query(SQL.saveDevices, [tenantId, siteId, JSON.stringify(report.devices), report.reportedAt]);
  }
}
