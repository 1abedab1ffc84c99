import type { ReportedDevice } from '@cr/shared';
import type { GatewayContext } from './context';
import { registerDevice } from './devices';

/** A device as the admission list shows it (CONTRACT.md §6), the same shape the edge reports to the cloud. */
export type DeviceAdmissionView = ReportedDevice;

/** What the LAN API and the cloud link (uplink/device-report.ts) may do with admission. */
export interface DevicesApi {
  list(): DeviceAdmissionView[];
  /** approves a registered device, optionally in a zone; false when no such device announced itself */
  approve(deviceId: string, zoneId: string | undefined): Promise<boolean>;
  /** opens the commissioning window for `minutes`; returns when it closes */
  openCommissioning(minutes: number): number;
}

export function devicesApi(ctx: GatewayContext): DevicesApi {
  return {
    list: () =>
      ctx.registry.all().map(({ config, reportedOnline }) => ({
        id: config.id,
        kind: config.kind,
        name: config.name,
        zoneId: config.zoneId,
        ...(config.kind === 'reader' && config.doorId ? { doorId: config.doorId } : {}),
        online: reportedOnline === true,
        approval: ctx.admission.approval(config.id, config.kind),
        firmware: config.firmware,
        model: config.model,
      })),
    async approve(deviceId, zoneId) {
      const device = ctx.registry.get(deviceId);
      if (!device) return false;
      await ctx.admission.approve(deviceId, zoneId, ctx.now());
      // Re-register so a placed zone takes effect for decisions at once.
      await registerDevice(ctx, device.config);
      void ctx.recorder.edge('device.approved', deviceId, { zoneId });
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
