import { MAX_DEVICES_PER_SITE, reportedDeviceSchema, type ReportedDevice } from '@cr/shared';
import { z } from 'zod';
import type { Db } from './db';

/** A site's devices as its edge last reported them. */
export interface DeviceReport {
  devices: ReportedDevice[];
  reportedAt: number;
}

const SQL = {
  all: 'SELECT tenant_id, site_id, devices, reported_at FROM site_devices',
  upsert: `INSERT INTO site_devices (tenant_id, site_id, devices, reported_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (tenant_id, site_id) DO UPDATE SET devices = excluded.devices, reported_at = excluded.reported_at`,
} as const;

interface Row {
  tenant_id: string;
  site_id: string;
  devices: string;
  reported_at: number;
}

const storedList = z.array(reportedDeviceSchema).max(MAX_DEVICES_PER_SITE);

/** A stored device list, or undefined when it does not parse (both stores read it with this). */
export function parseDeviceList(text: string): ReportedDevice[] | undefined {
  try {
    const r = storedList.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The device list of each site's edge (one row per site, the whole list as JSON: it is replaced
 * whole at every report), kept across cloud restarts.
 */
export class DeviceReportsStore {
  constructor(private readonly db: Db) {}

  /** Every stored report, keyed `tenant/site`; a row that does not parse is skipped. */
  all(): Map<string, DeviceReport> {
    const out = new Map<string, DeviceReport>();
    for (const r of this.db.prepare(SQL.all).all() as Row[]) {
      const devices = parseDeviceList(r.devices);
      if (devices) out.set(`${r.tenant_id}/${r.site_id}`, { devices, reportedAt: r.reported_at });
    }
    return out;
  }

  save(tenantId: string, siteId: string, report: DeviceReport): void {
    this.db.prepare(SQL.upsert).run(tenantId, siteId, JSON.stringify(report.devices), report.reportedAt);
  }
}
