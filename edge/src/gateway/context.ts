import type { EdgeConfig } from '../config';
import type { BurstLog, Logger } from '../log';
import type { EdgeMetrics, BadInputKind } from '../metrics';
import type { DeviceBus } from '../mqtt/bus';
import type { PermissionCache } from '../store/permission-cache';
import type { DeviceStore } from '../store/device-store';
import type { DeviceRegistry } from '../domain/device-registry';
import type { DoorSafety } from '../domain/door-safety';
import type { Occupancy } from '../domain/occupancy';
import type { SiteWatch } from '../domain/site-watch';
import type { SiteWriter } from '../site/site-writer';
import type { EventRecorder } from './recorder';
import type { ModeController } from './mode-controller';
import type { DoorCommander } from './door-commander';
import type { Admission } from '../domain/admission';
import type { SiteZones } from '../store/site-zones';
import type { PinThrottle } from './pin-throttle';
import type { FirmwareUpdates } from './firmware-updates';
import type { BookingDesk } from './booking-desk';
import type { PolicyHolder } from '../policy/policy-holder';

/** Everything the gateway's handlers share; built once in edge.ts. */
export interface GatewayContext {
  config: EdgeConfig;
  log: Logger;
  burst: BurstLog;
  metrics: EdgeMetrics;
  bus: DeviceBus;
  permissions: PermissionCache;
  deviceStore: DeviceStore;
  registry: DeviceRegistry;
  doors: DoorSafety;
  occupancy: Occupancy;
  /** the anomaly detections (gateway/watch.ts feeds them) */
  watch: SiteWatch;
  site: SiteWriter;
  recorder: EventRecorder;
  modes: ModeController;
  commander: DoorCommander;
  admission: Admission;
  /** the site's zones as the cloud records them (store/site-zones.ts) */
  zones: SiteZones;
  /** wrong-PIN counts per reader and per credential (pin-throttle.ts) */
  pins: PinThrottle;
  /** firmware updates relayed from the cloud (firmware-updates.ts) */
  firmware: FirmwareUpdates;
  /** bookings of the site's resources: opening, check-in, release (booking-desk.ts) */
  bookings: BookingDesk;
  /** the site policy in force: opening hours for decisions, scenarios for automation (policy/) */
  policy: PolicyHolder;
  /** a device joined, left, changed, went on- or offline or was admitted: the cloud's list is due */
  devicesChanged(): void;
  now(): number;
}

/** Counts and logs (once per burst) one piece of bad input. */
export function badInput(ctx: GatewayContext, kind: BadInputKind, detail: string): void {
  ctx.metrics.malformed.inc({ kind });
  // Counted against the device whose message is being handled, once it is a registered one.
  const deviceId = ctx.watch.health.current;
  if (deviceId !== undefined && ctx.registry.get(deviceId)) ctx.watch.health.error(deviceId, ctx.now());
  ctx.burst.warn(`bad input (${kind})`, detail.slice(0, 200));
}

/** Deepest nesting a device payload may have; contract payloads need 3 or 4 levels. */
export const MAX_JSON_DEPTH = 16;

/** Whether JSON text nests arrays/objects deeper than `max` (strings skipped), read without recursion. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * Parses JSON, counting failures; undefined means "bad input, already counted". Threat: a payload
 * nested thousands of levels deep (still small) overflowing the stack of the recursive code that
 * validates, stores and serialises it.
 */
export function parseJson(ctx: GatewayContext, payload: Buffer, what: string): unknown {
  const text = payload.toString('utf8');
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    badInput(ctx, 'json', `${what}: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    badInput(ctx, 'json', `${what}: payload is not JSON`);
    return undefined;
  }
}
