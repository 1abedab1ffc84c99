import type { DeviceLoginsPort } from '../ports';
import { deviceLoginOf, type DeviceLoginRecord } from '../device-logins-store';
import type { PgDb } from './pg-db';

const SQL = {
  issue: `INSERT INTO device_logins (tenant_id, site_id, device_id, username, password_hash, issued_at, issued_by, revoked_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
    ON CONFLICT (tenant_id, site_id, device_id) DO UPDATE SET username = excluded.username, password_hash = excluded.password_hash,
      issued_at = excluded.issued_at, issued_by = excluded.issued_by, revoked_at = NULL`,
  revoke: 'UPDATE device_logins SET revoked_at = $1 WHERE tenant_id = $2 AND site_id = $3 AND device_id = $4 AND revoked_at IS NULL',
  ofSite: 'SELECT * FROM device_logins WHERE tenant_id = $1 AND site_id = $2 ORDER BY device_id',
} as const;

/** Per-device MQTT logins in PostgreSQL (the same contract as DeviceLoginsStore). */
export class PgDeviceLoginsStore implements DeviceLoginsPort {
  constructor(private readonly db: PgDb) {}

  async issue(tenantId: string, siteId: string, login: Omit<DeviceLoginRecord, 'revokedAt'>): Promise<void> {
    await this.db.pool.query(SQL.issue, [tenantId, siteId, login.deviceId, login.username, login.passwordHash, login.issuedAt, login.issuedBy]);
  }

  async revoke(tenantId: string, siteId: string, deviceId: string, now = Date.now()): Promise<boolean> {
    return ((await this.db.pool.query(SQL.revoke, [now, tenantId, siteId, deviceId])).rowCount ?? 0) > 0;
  }

  async ofSite(tenantId: string, siteId: string): Promise<DeviceLoginRecord[]> {
    return (await this.db.pool.query(SQL.ofSite, [tenantId, siteId])).rows.map(deviceLoginOf);
  }
}
