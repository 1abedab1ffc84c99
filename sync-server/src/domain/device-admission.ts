import type { CloudToEdge, ReportedDevice, UserPrincipal } from '@cr/shared';
import type { CloudContext } from '../context';
import { ApiError, badRequest, notFound } from './errors';
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
  constructor(private readonly ctx: Pick<CloudContext, 'hub' | 'devices' | 'audit' | 'siteAdmin'>) {}

  /** Admits a device, optionally in a zone of the site; answered once the edge's report shows it. */
  async approve(user: UserPrincipal, siteId: string, deviceId: string, zoneId: string | undefined, source: string) {
    if (zoneId !== undefined) await this.knownZone(user.tenantId, siteId, zoneId);
    const reached = (d: ReportedDevice) => d.approval === 'approved' && (zoneId === undefined || d.zoneId === zoneId);
    const device = await this.relay(user, siteId, deviceId, { type: 'device.approve', deviceId, zoneId, by: user.userId }, reached);
    await auditAdminChange(this.ctx.audit, user, { action: 'device.approve', target: `${siteId}/${deviceId}`, siteId, source, details: { zoneId } });
    return device;
  }

  /** Moves a device to another zone; a pending device stays pending. */
  async place(user: UserPrincipal, siteId: string, deviceId: string, zoneId: string, source: string) {
    await this.knownZone(user.tenantId, siteId, zoneId);
    const device = await this.relay(user, siteId, deviceId, { type: 'device.place', deviceId, zoneId, by: user.userId }, (d) => d.zoneId === zoneId);
    await auditAdminChange(this.ctx.audit, user, { action: 'device.place', target: `${siteId}/${deviceId}`, siteId, source, details: { zoneId } });
    return device;
  }

  private async knownZone(tenantId: string, siteId: string, zoneId: string): Promise<void> {
    const zones = await this.ctx.siteAdmin.zones(tenantId, siteId);
    if (!zones.some((z) => z.id === zoneId)) throw badRequest(`zoneId: the site has no zone ${zoneId}; create it first`);
  }

  /** Sends an admission message to the site's live edge (wherever its link ends) and waits for its report to show `reached`. */
  private async relay(user: UserPrincipal, siteId: string, deviceId: string, msg: CloudToEdge, reached: (d: ReportedDevice) => boolean): Promise<ReportedDevice> {
    const { tenantId } = user;
    const find = () => this.ctx.devices.reported(tenantId, siteId)?.find((d) => d.id === deviceId);
    if (!find()) throw notFound('device');
    const delivery = await this.ctx.hub.deliver(tenantId, siteId, msg);
    if (delivery === 'offline' || delivery === 'dropped') throw offline();
    const deadline = Date.now() + CONFIRM_MS;
    for (;;) {
      const device = find();
      if (device && reached(device)) return device;
      if (Date.now() > deadline) throw new ApiError(503, 'not-confirmed', 'the edge did not confirm the change in time; check the device list');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async openCommissioning(user: UserPrincipal, siteId: string, minutes: number, source: string): Promise<{ until: number }> {
    const delivery = await this.ctx.hub.deliver(user.tenantId, siteId, { type: 'commissioning', minutes, by: user.userId });
    if (delivery === 'offline' || delivery === 'dropped') throw offline();
    const until = Date.now() + minutes * 60_000;
    await auditAdminChange(this.ctx.audit, user, { action: 'commissioning.open', target: siteId, siteId, source, details: { minutes, until } });
    return { until };
  }
}
