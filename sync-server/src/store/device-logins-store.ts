import type { Db } from './db';

/** An MQTT login the cloud issued for one device of a site (the password itself is never stored). */
export interface DeviceLoginRecord {
  deviceId: string;
  username: string;
  passwordHash: string;
  issuedAt: number;
  issuedBy: string;
  revokedAt?: number;
}

interface Row {
  device_id: string;
  username: string;
  password_hash: string;
  issued_at: number;
  issued_by: string;
  revoked_at: number | null;
}

export function deviceLoginOf(r: Row): DeviceLoginRecord {
  const rec: DeviceLoginRecord = { deviceId: r.device_id, username: r.username, passwordHash: r.password_hash, issuedAt: Number(r.issued_at), issuedBy: r.issued_by };
  if (r.revoked_at !== null) rec.revokedAt = Number(r.revoked_at);
  return rec;
}

const SQL = {
  issue: `INSERT INTO device_logins (tenant_id, site_id, device_id, username, password_hash, issued_at, issued_by, revoked_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
    ON CONFLICT (tenant_id, site_id, device_id) DO UPDATE SET username = excluded.username, password_hash = excluded.password_hash,
      issued_at = excluded.issued_at, issued_by = excluded.issued_by, revoked_at = NULL`,
  revoke: 'UPDATE device_logins SET revoked_at = ? WHERE tenant_id = ? AND site_id = ? AND device_id = ? AND revoked_at IS NULL',
  ofSite: 'SELECT * FROM device_logins WHERE tenant_id = ? AND site_id = ? ORDER BY device_id',
} as const;

/** Per-device MQTT logins of every site; issuing again replaces (rotates) the device's login. */
export class DeviceLoginsStore {
  constructor(private readonly db: Db) {}

  issue(tenantId: string, siteId: string, login: Omit<DeviceLoginRecord, 'revokedAt'>): void {
    this.db.prepare(SQL.issue).run(tenantId, siteId, login.deviceId, login.username, login.passwordHash, login.issuedAt, login.issuedBy);
  }

  /** Revokes the device's login; false when it had none in force. */
  revoke(tenantId: string, siteId: string, deviceId: string, now = Date.now()): boolean {
    return this.db.prepare(SQL.revoke).run(now, tenantId, siteId, deviceId).changes > 0;
  }

  /** Every login of the site, revoked ones included. */
  ofSite(tenantId: string, siteId: string): DeviceLoginRecord[] {
    return (this.db.prepare(SQL.ofSite).all(tenantId, siteId) as Row[]).map(deviceLoginOf);
  }
}
