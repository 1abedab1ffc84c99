import { availabilitySchema, deviceConfigSchema, parseDeviceState, type DeviceConfig } from '@cr/shared';
import { badInput, parseJson, type GatewayContext } from './context';
import type { SafetySignal } from '../domain/door-safety';
import { onPanelState } from './fire';
import { watchAvailability, watchState } from './watch';
import { noteBattery, withValidBattery } from './device-health';
import { bookingsOnPirState } from './bookings';

function removeDevice(ctx: GatewayContext, deviceId: string): Promise<unknown> | void {
  if (!ctx.registry.remove(deviceId)) return;
  ctx.admission.forget(deviceId);
  const removed = ctx.deviceStore.remove(deviceId);
  ctx.doors.forget(deviceId);
  ctx.modes.setPanelAlarm(deviceId, false);
  const zone = ctx.occupancy.forget(deviceId);
  ctx.watch.forget(deviceId, ctx.now());
  if (zone) ctx.site.setOccupancy(zone.zoneId, zone.total, ctx.now());
  ctx.site.removeDevice(deviceId);
  ctx.devicesChanged();
  ctx.log.info(`device ${deviceId} removed`, { deviceId });
  return removed;
}

/** Retained discovery: a config registers or updates a device; an empty payload removes it. Settles once stored. */
export function handleConfig(ctx: GatewayContext, deviceId: string, payload: Buffer): Promise<unknown> | void {
  if (payload.byteLength === 0) return removeDevice(ctx, deviceId);
  const json = parseJson(ctx, payload, `config of ${deviceId}`);
  if (json === undefined) return;
  const parsed = deviceConfigSchema.safeParse(json);
  if (!parsed.success) return badInput(ctx, 'schema', `config of ${deviceId}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  // Threat: a device announcing itself under another device's id.
  if (parsed.data.id !== deviceId) return badInput(ctx, 'config-mismatch', `config on ${deviceId}'s topic names ${parsed.data.id}`);
  return registerDevice(ctx, parsed.data);
}

/** Registers a device's config; `announced` false when the site placed it again (no new word from the device). */
export function registerDevice(ctx: GatewayContext, claimed: DeviceConfig, announced = true): Promise<unknown> | void {
  const now = ctx.now();
  // The zone a person placed the device in wins over the one it claims; either must be one of the site's.
  const config = ctx.admission.place(claimed);
  const admitted = ctx.admission.announce(config, now);
  const result = ctx.registry.upsert(config, now, claimed);
  if (result === 'full') return badInput(ctx, 'too-many-devices', `device ${config.id} refused: site already has ${ctx.registry.size} devices`);
  ctx.metrics.devicesRegistered.set(ctx.registry.size);
  // A re-announced firmware is what confirms (or fails) an installed update.
  if (announced) ctx.firmware.onConfig(config);
  // Also for an unchanged config: announcing may have admitted it (commissioning window, approval).
  ctx.devicesChanged();
  if (result === 'unchanged') return admitted;
  // A door that joins while the site stands unlocked (or locked down) gets the mode's command at once.
  if (config.kind === 'door') ctx.modes.enforceOn(config.id);
  ctx.site.upsertDevice(config, now);
  const stored = ctx.deviceStore.put(claimed);
  return admitted ? Promise.all([admitted, stored]) : stored;
}

/** Places every device again by the site's zones (they changed, or a person moved a device): decisions follow at once. */
export function placeDevices(ctx: GatewayContext): Promise<unknown> {
  return Promise.all(ctx.registry.all().map((d) => registerDevice(ctx, d.claimed, false)));
}

/** Whether a device may act (open a door, unlock the site): approved, or of a kind that needs no approval. */
export function isAdmitted(ctx: GatewayContext, deviceId: string): boolean {
  const d = ctx.registry.get(deviceId);
  return d !== undefined && ctx.admission.approval(deviceId, d.config.kind) === 'approved';
}

export function handleAvailability(ctx: GatewayContext, deviceId: string, payload: Buffer): void {
  const parsed = availabilitySchema.safeParse(payload.toString('utf8').trim());
  if (!parsed.success) return badInput(ctx, 'schema', `availability of ${deviceId} is not online/offline`);
  if (!ctx.registry.get(deviceId)) return badInput(ctx, 'unknown-device', `availability from unregistered device ${deviceId}`);
  ctx.registry.setAvailability(deviceId, parsed.data, ctx.now());
  sweepDevices(ctx);
}

export function handleState(ctx: GatewayContext, deviceId: string, payload: Buffer): void {
  const device = ctx.registry.get(deviceId);
  if (!device) return badInput(ctx, 'unknown-device', `state from unregistered device ${deviceId}`);
  const json = parseJson(ctx, payload, `state of ${deviceId}`);
  if (json === undefined) return;
  const { kind, zoneId } = device.config;
  const parsed = parseDeviceState(kind, withValidBattery(ctx, deviceId, json));
  if (!parsed.success) return badInput(ctx, 'schema', `state of ${deviceId} (${kind}): ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const now = ctx.now();
  const state = parsed.data as Record<string, unknown> & { ts: number };
  ctx.registry.seen(deviceId, now);
  noteBattery(ctx, deviceId, kind, state);
  ctx.site.setState(deviceId, kind, state, Math.min(state.ts, now), now);
  if (kind === 'door') {
    const door = parsed.data as unknown as { locked: boolean; open: boolean };
    handleSafety(ctx, ctx.doors.onState(deviceId, door, now, ctx.modes.mode));
    // A door whose state contradicts the site mode (locked in an emergency, unlocked without authority
    // in a lockdown or secure mode) missed or undid the fan-out: tell it again.
    ctx.modes.enforceOn(deviceId);
  }
  // Threat: a pending (not yet admitted) panel unlocking every door.
  if (kind === 'fire-panel' && isAdmitted(ctx, deviceId)) onPanelState(ctx, deviceId, (parsed.data as unknown as { alarm: boolean }).alarm, Math.min(state.ts, now));
  if (kind === 'pir') {
    const zone = ctx.occupancy.report(deviceId, zoneId, (parsed.data as { occupancy?: number }).occupancy);
    if (zone) ctx.site.setOccupancy(zone.zoneId, zone.total, now);
  }
  watchState(ctx, deviceId, kind, zoneId, state, now);
  if (kind === 'pir') bookingsOnPirState(ctx, zoneId, state, now);
  sweepDevices(ctx);
}

/** Door safety signals → outbox events and alerts (raised on start, resolved when the door closes). */
export function handleSafety(ctx: GatewayContext, signals: SafetySignal[]): void {
  for (const s of signals) {
    const zoneId = ctx.registry.get(s.doorId)?.config.zoneId;
    if (s.phase === 'raise') {
      void ctx.recorder.edge(s.type, s.doorId, { detectedBy: 'edge', since: s.at });
      ctx.site.alerts.raise(s.type, { deviceId: s.doorId, zoneId, message: s.type === 'door.forced' ? 'opened while locked without a grant' : 'open longer than allowed' }, s.at);
      ctx.log.warn(`${s.type} at ${s.doorId}`);
    } else {
      ctx.site.alerts.clear(s.type, s.doorId, s.at, 'door closed');
    }
  }
}

/** Availability and staleness → device.online/offline events, availability in the document, alerts. */
export function sweepDevices(ctx: GatewayContext): void {
  const now = ctx.now();
  const changes = ctx.registry.sweep(now, ctx.config.deviceStaleMs);
  if (changes.length > 0) ctx.devicesChanged();
  for (const change of changes) {
    const { deviceId, online, returned } = change;
    const zoneId = ctx.registry.get(deviceId)?.config.zoneId;
    void ctx.recorder.edge(online ? 'device.online' : 'device.offline', deviceId, undefined, now);
    ctx.site.setAvailability(deviceId, online, now);
    watchAvailability(ctx, deviceId, online, now);
    if (online) {
      ctx.site.alerts.clear('device.offline', deviceId, now, 'device back online');
      if (ctx.registry.get(deviceId)?.config.kind === 'door') {
        // A lock that was away may have restarted in any state: what it said before no longer counts.
        if (returned) ctx.doors.forgetLock(deviceId);
        ctx.modes.enforceOn(deviceId);
      }
    } else {
      ctx.site.alerts.raise('device.offline', { deviceId, zoneId, message: 'device offline or silent' }, now);
    }
  }
  ctx.metrics.devicesOnline.set(ctx.registry.onlineCount());
}
