import { commandResultSchema, deviceEventSchema, type SiteEvent } from '@cr/shared';
import { badInput, parseJson, type GatewayContext } from './context';
import { NotStoredError } from './recorder';
import { onFireSignal } from './fire';
import { isAdmitted } from './devices';
import { watchMotion } from './watch';
import { noteFault } from './device-health';
import { bookingsOnKiosk, bookingsOnMotion } from './bookings';

/** Acts on an event after it is in the outbox. Only registered devices of the right kind trigger actions. */
function act(ctx: GatewayContext, event: SiteEvent, kind: string | undefined, zoneId: string | undefined): void {
  const deviceId = event.deviceId;
  switch (event.type) {
    case 'fire.alarm':
      // A fire panel's alarm was acted on before the commit (see handleDeviceEvent).
      // Threat: any other device (or a rogue client) unlocking the whole site.
      if (kind !== 'fire-panel') return badInput(ctx, 'schema', `fire.alarm from ${deviceId}, which is not a fire panel`);
      return;
    case 'fire.clear':
      if (kind === 'fire-panel' && deviceId && isAdmitted(ctx, deviceId)) ctx.modes.setPanelAlarm(deviceId, false);
      return;
    case 'door.forced':
    case 'door.held-open':
      if (kind !== 'door') return;
      ctx.site.alerts.raise(event.type, { deviceId, zoneId, message: 'reported by the door' }, event.ts);
      return;
    case 'tamper':
      ctx.site.alerts.raise('tamper', { deviceId, zoneId, message: 'tamper reported' }, event.ts);
      return;
    case 'motion':
      if (kind !== 'pir') return;
      watchMotion(ctx, zoneId, ctx.now());
      return bookingsOnMotion(ctx, zoneId, ctx.now());
    case 'checkin':
      // Threat: any device (or a rogue client) checking bookings in; only a kiosk's word counts.
      if (kind === 'kiosk') bookingsOnKiosk(ctx, event, ctx.now());
      return;
    case 'fault': {
      const code = String(event.data?.code ?? 'unknown').slice(0, 60);
      noteFault(ctx, deviceId);
      ctx.site.alerts.raise('device.fault', { deviceId, zoneId, message: `fault ${code}` }, event.ts);
      return;
    }
    default:
      return;
  }
}

/**
 * A device event: validated, de-duplicated by id, clock-checked, committed, then acted on. The
 * returned promise settles after the commit (or once the event is held in memory because the disk
 * refused it), and the device's acknowledgement waits for it; an event that could not be kept at
 * all rejects with NotStoredError so the device is never told "received". A fire panel's alarm is
 * the exception: the doors open first, whatever the disk does.
 */
export async function handleDeviceEvent(ctx: GatewayContext, deviceId: string, payload: Buffer): Promise<void> {
  const json = parseJson(ctx, payload, `event from ${deviceId}`);
  if (json === undefined) return;
  const parsed = deviceEventSchema.safeParse(json);
  if (!parsed.success) return badInput(ctx, 'schema', `event from ${deviceId}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const now = ctx.now();
  const device = ctx.registry.get(deviceId);
  const data: Record<string, unknown> = { ...parsed.data.data };
  if (!device) {
    badInput(ctx, 'unknown-device', `event from unregistered device ${deviceId}`);
    data.unregistered = true;
  }
  let ts = parsed.data.ts;
  // A device with a wrong clock must not reorder history: keep its time as data, use ours.
  if (Math.abs(ts - now) > ctx.config.maxClockSkewMs) {
    badInput(ctx, 'clock-skew', `event from ${deviceId} is ${ts - now} ms off the edge clock`);
    data.deviceTs = ts;
    ts = now;
  }
  const fire = parsed.data.type === 'fire.alarm' && device?.config.kind === 'fire-panel';
  // Threat: a panel nobody admitted (any LAN client announcing one) unlocking every door.
  const pendingPanel = fire && !isAdmitted(ctx, deviceId);
  if (pendingPanel) {
    badInput(ctx, 'device-pending', `fire.alarm from ${deviceId}, a fire panel not admitted yet: nothing unlocked`);
    data.pending = true;
  }
  const event: SiteEvent = { id: parsed.data.id, type: parsed.data.type, ts, deviceId, data: Object.keys(data).length ? data : undefined };
  // Safety: fire unlock depends on nothing but the fire — not on the commit, not on the disk. A
  // replayed alarm (an id already seen) is not a new fire: after a reset the panel's state decides.
  if (fire && !pendingPanel && !ctx.recorder.seen(event.id)) onFireSignal(ctx, deviceId, 'event', event.ts);
  const stored = await ctx.recorder.device(event);
  if (stored === 'duplicate') return badInput(ctx, 'replay', `event ${event.id} from ${deviceId} seen before`);
  if (stored === 'failed') throw new NotStoredError(`event ${event.id} from ${deviceId} could not be stored`);
  ctx.registry.seen(deviceId, now);
  if (device) act(ctx, event, device.config.kind, device.config.zoneId);
  // Held in memory, not on disk: acted on, but the device keeps it (no acknowledgement) and sends it again.
  if (stored === 'held') throw new NotStoredError(`event ${event.id} from ${deviceId} is held in memory: the disk refuses writes`);
}

export function handleCommandResult(ctx: GatewayContext, deviceId: string, payload: Buffer): void {
  const json = parseJson(ctx, payload, `command result from ${deviceId}`);
  if (json === undefined) return;
  const parsed = commandResultSchema.safeParse(json);
  if (!parsed.success) return badInput(ctx, 'schema', `command result from ${deviceId}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  ctx.registry.seen(deviceId, ctx.now());
  ctx.commander.onResult(deviceId, parsed.data);
}
