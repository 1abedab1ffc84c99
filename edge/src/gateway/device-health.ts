import { BATTERY_KINDS, batterySchema, type DeviceKind, type ReportedDevice } from '@cr/shared';
import { badInput, type GatewayContext } from './context';

/**
 * A state's `battery`, checked on its own before the state is: a reading that is not a number
 * from 0 to 100 is counted as bad input and dropped, never stored, while the rest of the state
 * (a lock's position) still counts. Returns the payload to validate.
 */
export function withValidBattery(ctx: GatewayContext, deviceId: string, json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !('battery' in json)) return json;
  const { battery, ...rest } = json as Record<string, unknown>;
  if (batterySchema.safeParse(battery).success) return json;
  badInput(ctx, 'schema', `state of ${deviceId}: battery ${String(JSON.stringify(battery)).slice(0, 40)} is not a number from 0 to 100`);
  return rest;
}

/** Keeps the charge of a validated state of a battery-powered kind. */
export function noteBattery(ctx: GatewayContext, deviceId: string, kind: DeviceKind, state: Record<string, unknown>): void {
  if (BATTERY_KINDS.has(kind) && typeof state.battery === 'number') ctx.watch.health.setBattery(deviceId, state.battery);
}

/** A fault the device reported (`fault` event). */
export function noteFault(ctx: GatewayContext, deviceId: string | undefined): void {
  if (deviceId !== undefined && ctx.registry.get(deviceId)) ctx.watch.health.error(deviceId, ctx.now());
}

/** The health fields of a device in the report to the cloud, each absent when there is nothing to say. */
export function reportedHealth(ctx: GatewayContext, id: string, now: number): Partial<ReportedDevice> {
  const d = ctx.registry.get(id);
  const errors = ctx.watch.health.errors24h(id, now);
  const battery = ctx.watch.health.battery(id);
  return {
    ...(d?.heard ? { lastSeenAt: d.lastSeenAt } : {}),
    ...(errors > 0 ? { errors24h: errors } : {}),
    ...(battery !== undefined ? { battery } : {}),
    ...(ctx.watch.flapping.isFlapping(id) ? { flapping: true } : {}),
  };
}
