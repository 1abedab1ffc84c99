import type { UserPrincipal } from '@cr/shared';
import type { CloudContext } from '../context';
import { ApiError, notFound } from './errors';
import { auditAdminChange } from './audit/admin-audit';

/** How long the cloud waits for the edge's device report that shows an approval took effect. */
const CONFIRM_MS = 5_000;
const POLL_MS = 50;

const offline = (): ApiError => new ApiError(503, 'site-offline', 'site offline: its edge gateway is not connected');

/**
 * Admission through the cloud (CONTRACT.md §6): like a door command, an online request to the
 * site's live edge, never queued; the answer says what the edge reported, not what was hoped.
 */
export class DeviceAdmission {
  constructor(private readonly ctx: Pick<CloudContext, 'hub' | 'devices' | 'audit'>) {}

  async approve(user: UserPrincipal, siteId: string, deviceId: string, zoneId: string | undefined, source: string) {
    const { tenantId } = user;
    if (!this.ctx.devices.reported(tenantId, siteId)?.some((d) => d.id === deviceId)) throw notFound('device');
    const session = this.ctx.hub.session(tenantId, siteId);
    if (!session?.send({ type: 'device.approve', deviceId, zoneId, by: user.userId })) throw offline();
    const deadline = Date.now() + CONFIRM_MS;
    for (;;) {
      const device = this.ctx.devices.reported(tenantId, siteId)?.find((d) => d.id === deviceId);
      if (device?.approval === 'approved' && (zoneId === undefined || device.zoneId === zoneId)) {
        await auditAdminChange(this.ctx.audit, user, { action: 'device.approve', target: `${siteId}/${deviceId}`, siteId, source, details: { zoneId } });
        return device;
      }
      if (Date.now() > deadline) throw new ApiError(503, 'not-confirmed', 'the edge did not confirm the approval in time; check the device list');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async openCommissioning(user: UserPrincipal, siteId: string, minutes: number, source: string): Promise<{ until: number }> {
    const session = this.ctx.hub.session(user.tenantId, siteId);
    if (!session?.send({ type: 'commissioning', minutes, by: user.userId })) throw offline();
    const until = Date.now() + minutes * 60_000;
    await auditAdminChange(this.ctx.audit, user, { action: 'commissioning.open', target: siteId, siteId, source, details: { minutes, until } });
    return { until };
  }
}
