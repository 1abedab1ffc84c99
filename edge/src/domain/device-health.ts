const HOUR_MS = 3_600_000;
/** Errors are counted per hour; a device's count covers the current hour and the 23 before it. */
const ERROR_HOURS = 24;
/** How often the device report is looked at again for changed health (errors, battery, last seen). */
export const HEALTH_REPORT_MS = 60_000;

/**
 * Per device health the edge reports to the cloud besides availability, pure: errors (faults and
 * malformed payloads) of the last 24 h counted in hourly buckets, so a device that floods bad
 * payloads costs at most 24 numbers, and the battery charge of its last valid state.
 */
export class DeviceHealth {
  private readonly errors = new Map<string, Array<{ hour: number; count: number }>>();
  private readonly batteries = new Map<string, number>();
  private nextReportAt = 0;
  /** the device whose MQTT message is being handled, so bad input it caused is counted for it */
  current?: string;

  error(deviceId: string, now: number): void {
    const hour = Math.floor(now / HOUR_MS);
    const buckets = (this.errors.get(deviceId) ?? []).filter((b) => b.hour > hour - ERROR_HOURS);
    const last = buckets[buckets.length - 1];
    if (last?.hour === hour) last.count++;
    else buckets.push({ hour, count: 1 });
    this.errors.set(deviceId, buckets);
  }

  errors24h(deviceId: string, now: number): number {
    const hour = Math.floor(now / HOUR_MS);
    let n = 0;
    for (const b of this.errors.get(deviceId) ?? []) if (b.hour > hour - ERROR_HOURS) n += b.count;
    return n;
  }

  /** The charge of a state that passed validation (0–100). */
  setBattery(deviceId: string, pct: number): void {
    this.batteries.set(deviceId, pct);
  }

  battery(deviceId: string): number | undefined {
    return this.batteries.get(deviceId);
  }

  /** True once per `HEALTH_REPORT_MS`: the device report is due a look. */
  reportDue(now: number): boolean {
    if (now < this.nextReportAt) return false;
    this.nextReportAt = now + HEALTH_REPORT_MS;
    return true;
  }

  forget(deviceId: string): void {
    this.errors.delete(deviceId);
    this.batteries.delete(deviceId);
  }
}
