import type { AlertType, DeviceKind } from '@cr/shared';
import type { GatewayContext } from './context';
import type { WatchSignal } from '../domain/watch-signal';
import type { EnvironmentReading } from '../domain/environment-watch';
import type { HvacReading } from '../domain/hvac-watch';

/**
 * Wiring of the anomaly detections (domain/site-watch.ts): device states, grants, motion events and
 * availability feed them, the maintenance tick runs their timers, and their signals raise or clear
 * alarms in the site document. Nothing here runs inside an access decision: a grant is handed over
 * after the reader has its answer.
 */

/** Alarms about a zone (one per zone); the others are about the device that measured. */
const ZONE_ALARMS: ReadonlySet<AlertType> = new Set<AlertType>(['presence.unauthorized', 'presence.tailgating', 'zone.over-capacity']);

function apply(ctx: GatewayContext, type: AlertType, signals: WatchSignal[]): void {
  const alerts = ctx.site.alerts;
  for (const s of signals) {
    if (ZONE_ALARMS.has(type)) {
      if (s.phase === 'raise') {
        ctx.log.warn(`${type} in ${s.subject}: ${s.message}`);
        alerts.raiseInZone(type, s.subject, s.message, s.at);
      } else alerts.clearInZone(type, s.subject, s.at, s.message);
      continue;
    }
    if (s.phase === 'raise') {
      ctx.log.warn(`${type} at ${s.subject}: ${s.message}`, { deviceId: s.subject });
      alerts.raise(type, { deviceId: s.subject, zoneId: ctx.registry.get(s.subject)?.config.zoneId, message: s.message }, s.at);
    } else alerts.clear(type, s.subject, s.at, s.message);
  }
}

/** A zone is guarded when a door of it has a reader: entering it takes a grant. */
function guarded(ctx: GatewayContext, zoneId: string): boolean {
  return ctx.registry.all().some((d) => d.config.kind === 'reader' && d.config.doorId !== undefined && ctx.registry.doorOfReader(d.config.id)?.zoneId === zoneId);
}

function activity(ctx: GatewayContext, zoneId: string, quietBefore: number | undefined, now: number): void {
  if (quietBefore === undefined) return;
  apply(ctx, 'presence.unauthorized', ctx.watch.entry.activity(zoneId, quietBefore, guarded(ctx, zoneId), now));
}

/** A device's validated state, after the gateway acted on it. */
export function watchState(ctx: GatewayContext, deviceId: string, kind: DeviceKind, zoneId: string | undefined, state: Record<string, unknown>, now: number): void {
  const w = ctx.watch;
  switch (kind) {
    case 'pir':
      if (!zoneId) return;
      return activity(ctx, zoneId, w.presence.observe(deviceId, zoneId, state.motion === true || Number(state.occupancy ?? 0) > 0, now), now);
    case 'door':
      // A lock that reports unlocked lets people in (a grant's pulse, a person's unlock): not an intrusion.
      if (zoneId && state.locked === false) w.entry.letIn(zoneId, now);
      return;
    case 'camera':
      if (zoneId && typeof state.in === 'number') apply(ctx, 'presence.tailgating', w.tailgating.counted(deviceId, zoneId, state.in, now));
      return;
    case 'env':
      for (const s of w.environment.reading(deviceId, state as unknown as EnvironmentReading, now)) apply(ctx, s.alarm, [s]);
      return;
    case 'hvac':
      for (const s of w.hvac.reading(deviceId, zoneId, state as unknown as HvacReading, now)) apply(ctx, s.alarm, [s]);
      return;
    case 'power':
      apply(ctx, 'power.high-draw', w.power.reading(deviceId, Number(state.watts), now));
      return;
    default:
      return;
  }
}

/** A grant at a reader of the zone: someone may come in. Called once the reader has its answer. */
export function watchGrant(ctx: GatewayContext, zoneId: string, now: number): void {
  ctx.watch.entry.letIn(zoneId, now);
  ctx.watch.tailgating.granted(zoneId, now);
}

/** A motion sensor's `motion` event. */
export function watchMotion(ctx: GatewayContext, zoneId: string | undefined, now: number): void {
  if (zoneId) activity(ctx, zoneId, ctx.watch.presence.motion(zoneId, now), now);
}

/** A device's availability as the gateway reports it (after the sweep). */
export function watchAvailability(ctx: GatewayContext, deviceId: string, online: boolean, now: number): void {
  apply(ctx, 'device.flapping', ctx.watch.flapping.change(deviceId, online, now));
}

/** The timed part: standing-open doors, quiet zones, sustained readings, crowding, flapping episodes ending. */
export function watchTick(ctx: GatewayContext, now: number): void {
  const w = ctx.watch;
  const emergency = ctx.modes.mode === 'emergency-unlock';
  for (const d of ctx.registry.all()) {
    const zoneId = d.config.kind === 'door' ? d.config.zoneId : undefined;
    if (!zoneId) continue;
    // Doors standing unlocked (a person's unlock, emergency-unlock): people walk in without grants.
    const standing = emergency || (ctx.doors.lockedOf(d.config.id) === false && !ctx.doors.pulsing(d.config.id, now));
    if (!standing) continue;
    w.entry.letIn(zoneId, now);
    w.tailgating.standingOpen(zoneId, now);
  }
  apply(ctx, 'presence.unauthorized', w.entry.tick(now));
  apply(ctx, 'presence.tailgating', w.tailgating.tick(now));
  if (w.capacity) apply(ctx, 'zone.over-capacity', w.capacity.check(ctx.occupancy.byZone(), now));
  for (const s of w.environment.tick(now)) apply(ctx, s.alarm, [s]);
  for (const s of w.hvac.tick(now, (zoneId) => w.presence.quietFor(zoneId, now))) apply(ctx, s.alarm, [s]);
  apply(ctx, 'power.high-draw', w.power.tick(now));
  const flaps = w.flapping.tick(now);
  // An episode ending, errors ageing out of the 24 h, a new battery level: the cloud's list follows.
  if (flaps.length > 0 || w.health.reportDue(now)) ctx.devicesChanged();
  apply(ctx, 'device.flapping', flaps);
}
