import type { Db } from './db';

/** A device's availability changing at the cloud: online or offline from `at` on. */
export interface AvailabilityTransition {
  deviceId: string;
  at: number;
  online: boolean;
}

/** Rows of one device, newest first: those past the `maxPerDevice` newest are deleted. */
const TRIM = `DELETE FROM device_availability WHERE tenant_id = ? AND site_id = ? AND device_id = ? AND at <
  (SELECT at FROM device_availability WHERE tenant_id = ? AND site_id = ? AND device_id = ? ORDER BY at DESC LIMIT 1 OFFSET ?)`;

const SQL = {
  insert: `INSERT INTO device_availability (tenant_id, site_id, device_id, at, online) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (tenant_id, site_id, device_id, at) DO NOTHING`,
  latest: `SELECT device_id, at, online FROM device_availability d WHERE tenant_id = ? AND site_id = ? AND at =
    (SELECT MAX(at) FROM device_availability m WHERE m.tenant_id = d.tenant_id AND m.site_id = d.site_id AND m.device_id = d.device_id)
    ORDER BY device_id`,
  since: `SELECT device_id, at, online FROM device_availability WHERE tenant_id = ? AND site_id = ? AND device_id = ? AND at >=
    COALESCE((SELECT MAX(at) FROM device_availability WHERE tenant_id = ? AND site_id = ? AND device_id = ? AND at <= ?), ?)
    ORDER BY at`,
  deleteBefore: `DELETE FROM device_availability WHERE at < ? AND at < (SELECT MAX(m.at) FROM device_availability m
    WHERE m.tenant_id = device_availability.tenant_id AND m.site_id = device_availability.site_id AND m.device_id = device_availability.device_id)`,
} as const;

/** An availability row, the same in SQLite and PostgreSQL. */
export interface AvailabilityRow {
  device_id: string;
  at: number | string;
  online: number | boolean;
}

export const toTransition = (r: AvailabilityRow): AvailabilityTransition => ({ deviceId: r.device_id, at: Number(r.at), online: Boolean(r.online) });

/** The statements of both backends, with `?` placeholders (PostgreSQL numbers them). */
export const AVAILABILITY_SQL = { ...SQL, trim: TRIM };

/**
 * Each device's availability transitions as the cloud saw them (edge reports, the site's link
 * coming and going), bounded: at most `maxPerDevice` per device, and older ones pruned by
 * `deleteBefore` except each device's last, which says what it has been since.
 */
export class DeviceAvailabilityStore {
  constructor(private readonly db: Db) {}

  append(tenantId: string, siteId: string, transitions: readonly AvailabilityTransition[], maxPerDevice: number): void {
    const insert = this.db.prepare(SQL.insert);
    const trim = this.db.prepare(TRIM);
    this.db.transaction(() => {
      for (const t of transitions) insert.run(tenantId, siteId, t.deviceId, t.at, t.online ? 1 : 0);
      for (const id of new Set(transitions.map((t) => t.deviceId))) trim.run(tenantId, siteId, id, tenantId, siteId, id, maxPerDevice - 1);
    })();
  }

  /** The last transition of every device of the site. */
  latest(tenantId: string, siteId: string): AvailabilityTransition[] {
    return (this.db.prepare(SQL.latest).all(tenantId, siteId) as AvailabilityRow[]).map(toTransition);
  }

  /** A device's transitions from `since` on, oldest first, led by the last one before `since` (the state it started in). */
  since(tenantId: string, siteId: string, deviceId: string, since: number): AvailabilityTransition[] {
    return (this.db.prepare(SQL.since).all(tenantId, siteId, deviceId, tenantId, siteId, deviceId, since, since) as AvailabilityRow[]).map(toTransition);
  }

  /** Deletes transitions older than `before`, keeping each device's last; returns how many went. */
  deleteBefore(before: number): number {
    return this.db.prepare(SQL.deleteBefore).run(before).changes;
  }
}
