import { randomBytes } from 'node:crypto';
import type { CloudToEdge, UserPrincipal } from '@cr/shared';
import type { LinkHub } from '../edge-link/link-hub';
import type { AuditPort, DeviceLoginsPort } from '../store/ports';
import { auditAdminChange } from './audit/admin-audit';
import { notFound } from './errors';
import { hashPassword } from './passwords';

type LoginsMessage = Extract<CloudToEdge, { type: 'device.logins' }>;

/** The username a device's issued login has on the site's broker. */
export const deviceUsername = (deviceId: string): string => `dev.${deviceId}`;

export interface IssuedLogin {
  deviceId: string;
  username: string;
  /** shown once: the cloud keeps only its scrypt hash */
  password: string;
  issuedAt: number;
  /** whether the site's edge has it now; otherwise it gets it when it next connects */
  delivered: boolean;
}

/**
 * Per-device MQTT logins for a site whose embedded broker is closed (`--mqtt-closed` or
 * `--mqtt-users`): issued at approval, or before a device is first connected (pre-provisioning),
 * rotated by issuing again, revocable. The cloud's store is the authority: the edge receives every
 * login in force when it connects and each change as it happens, so a revocation made while the
 * site is offline takes effect the moment its edge is back. Threat: a login copied off one device
 * speaking for the others, or staying valid after the device was removed.
 */
export class DeviceLogins {
  constructor(private readonly d: { store: DeviceLoginsPort; hub: Pick<LinkHub, 'deliver'>; audit: AuditPort }) {}

  async issue(user: UserPrincipal, siteId: string, deviceId: string, source: string): Promise<IssuedLogin> {
    const password = randomBytes(24).toString('base64url');
    const username = deviceUsername(deviceId);
    const passwordHash = await hashPassword(password);
    const issuedAt = Date.now();
    await this.d.store.issue(user.tenantId, siteId, { deviceId, username, passwordHash, issuedAt, issuedBy: user.userId });
    const delivered = await this.push(user.tenantId, siteId, { type: 'device.logins', kind: 'delta', upserts: [{ deviceId, username, passwordHash }], removals: [] });
    await auditAdminChange(this.d.audit, user, { action: 'device.login.issue', target: `${siteId}/${deviceId}`, siteId, source, details: { username, delivered } });
    return { deviceId, username, password, issuedAt, delivered };
  }

  async revoke(user: UserPrincipal, siteId: string, deviceId: string, source: string): Promise<{ revoked: true; delivered: boolean }> {
    if (!(await this.d.store.revoke(user.tenantId, siteId, deviceId))) throw notFound('device login');
    const delivered = await this.push(user.tenantId, siteId, { type: 'device.logins', kind: 'delta', upserts: [], removals: [deviceId] });
    await auditAdminChange(this.d.audit, user, { action: 'device.login.revoke', target: `${siteId}/${deviceId}`, siteId, source, details: { delivered } });
    return { revoked: true, delivered };
  }

  /** The site's logins without their secrets, revoked ones included. */
  async list(tenantId: string, siteId: string) {
    return (await this.d.store.ofSite(tenantId, siteId)).map(({ passwordHash: _hash, ...view }) => view);
  }

  /** Every login in force at the site: what its edge receives when it connects. */
  async snapshot(tenantId: string, siteId: string): Promise<LoginsMessage> {
    const inForce = (await this.d.store.ofSite(tenantId, siteId)).filter((l) => l.revokedAt === undefined);
    return { type: 'device.logins', kind: 'snapshot', upserts: inForce.map(({ deviceId, username, passwordHash }) => ({ deviceId, username, passwordHash })), removals: [] };
  }

  private async push(tenantId: string, siteId: string, msg: LoginsMessage): Promise<boolean> {
    return (await this.d.hub.deliver(tenantId, siteId, msg)) === 'sent';
  }
}
