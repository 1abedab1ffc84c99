// What the UI tour's extra gateways report for the fleet view, the same every run: each demo
// device with a model, firmware, battery and error count that vary from device to device, some
// climate sensors offline, a flapping door and camera, a pending reader; and the week of
// availability that goes with it, which the tour's cloud seeds once.
import { BATTERY_KINDS, DEMO_SITES, type DeviceKind, type ReportedDevice } from '@cr/shared';
import type { AvailabilityTransition } from '@cr/sync-server/src/store/device-availability-store';

const HOUR = 3_600_000;
const MODELS: Record<DeviceKind, string> = {
  door: 'DL-200', reader: 'RD-9', camera: 'CAM-4K', pir: 'PIR-2', env: 'EN-3', light: 'LT-10',
  hvac: 'HV-2', power: 'PM-1', 'fire-panel': 'FP-8', kiosk: 'KS-1',
};

const offline = (kind: DeviceKind, i: number): boolean => kind === 'env' && i % 2 === 1;
const flapping = (kind: DeviceKind, i: number): boolean => (kind === 'camera' && i % 2 === 1) || (kind === 'door' && i % 8 === 0 && i > 0);

export function fleetDevices(siteId: string, now: number): ReportedDevice[] {
  const site = DEMO_SITES.find((s) => s.id === siteId)!;
  const list: ReportedDevice[] = site.devices.map((d, i) => ({
    id: d.id,
    kind: d.kind,
    name: d.name,
    zoneId: d.zoneId,
    ...(d.doorId ? { doorId: d.doorId } : {}),
    online: !offline(d.kind, i),
    approval: 'approved',
    model: MODELS[d.kind],
    firmware: i % 3 === 0 ? '2.1.0' : '2.0.3',
    lastSeenAt: offline(d.kind, i) ? now - 3 * HOUR : now - 2_000 - i * 700,
    ...(BATTERY_KINDS.has(d.kind) ? { battery: [88, 64, 15, 42, 97, 9, 71][i % 7]! } : {}),
    ...(i % 5 === 2 || flapping(d.kind, i) ? { errors24h: (i % 4) + 2 } : {}),
    ...(flapping(d.kind, i) ? { flapping: true } : {}),
  }));
  const door = site.devices.find((d) => d.kind === 'door')!;
  list.push({ id: 'reader-new', kind: 'reader', name: 'New reader', zoneId: door.zoneId, doorId: door.id, online: true, approval: 'pending', model: 'RD-10', firmware: '3.0.0', lastSeenAt: now - 1_000 });
  return list;
}

/** The site's last week as transitions: up since six days ago, an outage now and then, drops of the flapping ones, the offline ones down for 3 h. */
export function fleetHistory(siteId: string, now: number): AvailabilityTransition[] {
  const out: AvailabilityTransition[] = [];
  fleetDevices(siteId, now).forEach((d, i) => {
    const at = (h: number, online: boolean) => out.push({ deviceId: d.id, at: Math.round(now - h * HOUR), online });
    if (d.approval === 'pending') return at(0.2, true);
    at(150 - i, true);
    const outage = (fromH: number, toH: number) => {
      at(fromH, false);
      at(toH, true);
    };
    if (i % 3 === 0) outage(100 - i, 96 - i);
    if (d.flapping) for (let k = 0; k < 6; k++) outage(30 - k * 4, 29.5 - k * 4);
    if (!d.online) at(3, false);
  });
  return out;
}
