import type { EdgeConfig } from '../config';
import type { BurstLog, Logger } from '../log';
import type { EdgeMetrics, BadInputKind } from '../metrics';
import type { DeviceBus } from '../mqtt/bus';
import type { PermissionCache } from '../store/permission-cache';
import type { DeviceStore } from '../store/device-store';
import type { DeviceRegistry } from '../domain/device-registry';
import type { DoorSafety } from '../domain/door-safety';
import type { Occupancy } from '../domain/occupancy';
import type { SiteWriter } from '../site/site-writer';
import type { EventRecorder } from './recorder';
import type { ModeController } from './mode-controller';
import type { DoorCommander } from './door-commander';

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
  site: SiteWriter;
  recorder: EventRecorder;
  modes: ModeController;
  commander: DoorCommander;
  now(): number;
}

/** Counts and logs (once per burst) one piece of bad input. */
export function badInput(ctx: GatewayContext, kind: BadInputKind, detail: string): void {
  ctx.metrics.malformed.inc({ kind });
  ctx.burst.warn(`bad input (${kind})`, detail.slice(0, 200));
}

/** Parses JSON, counting failures; undefined means "bad input, already counted". */
export function parseJson(ctx: GatewayContext, payload: Buffer, what: string): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    badInput(ctx, 'json', `${what}: payload is not JSON`);
    return undefined;
  }
}
