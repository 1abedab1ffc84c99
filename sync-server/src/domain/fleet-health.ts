import { LOW_BATTERY_PCT, type ReportedDevice } from '@cr/shared';

/** A device's health as the fleet view filters it: pending approval outranks offline, offline outranks online. */
export const DEVICE_HEALTH = ['online', 'offline', 'pending'] as const;
export type DeviceHealth = (typeof DEVICE_HEALTH)[number];
/** What the fleet list filters by besides health: an open flapping episode, a battery below `LOW_BATTERY_PCT`. */
export const HEALTH_FILTERS = [...DEVICE_HEALTH, 'flapping', 'low-battery'] as const;
export type HealthFilter = (typeof HEALTH_FILTERS)[number];

export const healthOf = (d: Pick<ReportedDevice, 'online' | 'approval'>, siteOnline: boolean): DeviceHealth =>
  d.approval === 'pending' ? 'pending' : d.online && siteOnline ? 'online' : 'offline';

/** Whether a device (of health `health`) passes the fleet list's health filter. */
export function matchesHealth(d: Pick<ReportedDevice, 'battery' | 'flapping'>, health: DeviceHealth, filter: HealthFilter): boolean {
  if (filter === 'flapping') return d.flapping === true;
  if (filter === 'low-battery') return d.battery !== undefined && d.battery < LOW_BATTERY_PCT;
  return health === filter;
}
