import type { ReportedDevice, SiteZoneFacts } from '@cr/shared';
import type { GatewayContext } from './context';
import { placeDevices, registerDevice } from './devices';
import { reportedHealth } from './device-health';

/** A device as the admission list shows it (CONTRACT.md §6), the same shape the edge reports to the cloud. */
export type DeviceAdmissionView = ReportedDevice;

/** What the LAN API and the cloud link (uplink/device-report.ts) may do with admission. */
export interface DevicesApi {
  list(): DeviceAdmissionView[];
  /** approves a registered device, optionally in a zone; false when no such device announced itself */
  approve(deviceId: string, zoneId: string | undefined): Promise<boolean>;
  /** moves a registered device to a zone of the site (its approval unchanged); false when no such device */
  place(deviceId: string, zoneId: string): Promise<boolean>;
  /** opens the commissioning window for `minutes`; returns when it closes */
  openCommissioning(minutes: number): number;
  /** the cloud named the site's zones: devices are placed by them at once; true when they changed */
  adoptZones(zones: SiteZoneFacts): Promise<boolean>;
}

export function devicesApi(ctx: GatewayContext): DevicesApi {
  return {
    list: () =>
      ctx.registry.all().map(({ config, claimed, reportedOnline }) => ({
        id: config.id,
        kind: config.kind,
        name: config.name,
        zoneId: config.zoneId,
        ...(config.kind === 'reader' && config.doorId ? { doorId: config.doorId } : {}),
        online: reportedOnline === true,
        approval: ctx.admission.approval(config.id, config.kind),
        firmware: config.firmware,
        model: config.model,
        ...(claimed.zoneId !== undefined && claimed.zoneId !== config.zoneId ? { claimedZoneId: claimed.zoneId } : {}),
        ...reportedHealth(ctx, config.id, ctx.now()),
      })),
    async approve(deviceId, zoneId) {
      const device = ctx.registry.get(deviceId);
      if (!device) return false;
      await ctx.admission.approve(deviceId, zoneId, ctx.now());
      // Place it again so the zone takes effect for decisions at once.
      await registerDevice(ctx, device.claimed, false);
      void ctx.recorder.edge('device.approved', deviceId, { zoneId });
      return true;
    },
    async place(deviceId, zoneId) {
      const device = ctx.registry.get(deviceId);
      if (!device) return false;
      await ctx.admission.move(deviceId, zoneId, ctx.now());
      await registerDevice(ctx, device.claimed, false);
      void ctx.recorder.edge('device.placed', deviceId, { zoneId });
      return true;
    },
    async adoptZones(zones) {
      if (!ctx.zones.adopt(zones)) return false;
      await placeDevices(ctx);
      void ctx.recorder.edge('site.zones', undefined, { zones: zones.map((z) => z.id) });
      return true;
    },
    openCommissioning(minutes) {
      const until = ctx.now() + minutes * 60_000;
      ctx.admission.openWindow(until);
      void ctx.recorder.edge('commissioning.opened', undefined, { until });
      return until;
    },
  };
}
