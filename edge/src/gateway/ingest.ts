import { deviceChannelFilter, MAX_MQTT_PAYLOAD_BYTES, parseTopic, type DeviceChannel } from '@cr/shared';
import { badInput, type GatewayContext } from './context';
import { handleAccessRequest, answerMalformed } from './access';
import { handleAvailability, handleConfig, handleState } from './devices';
import { handleDeviceEvent, handleCommandResult } from './device-events';
import { NotStoredError } from './recorder';
import { DEVICE_PUBLISHES } from '../mqtt/device-acl';

/** Channels devices publish on (the edge's own channels, cmd and access/response, are not read back). */
const INBOUND: DeviceChannel[] = DEVICE_PUBLISHES;

export function inboundFilters(siteId: string): string[] {
  return INBOUND.map((c) => deviceChannelFilter(siteId, c));
}

/**
 * Every MQTT message from a device enters here. Nothing a device sends may crash the edge: each
 * handler validates its payload and any unexpected error is caught, counted and logged. The result
 * settles once what the message caused is committed; the broker acknowledges the device only then.
 * It rejects only when an event could not be stored (the device must not hear "received").
 */
export function routeMessage(ctx: GatewayContext, topic: string, payload: Buffer): Promise<unknown> | undefined {
  const parsed = parseTopic(topic);
  // Threat: ids with `/`, `+`, `#` or odd characters addressing other devices' topics.
  if (!parsed || parsed.kind !== 'device' || parsed.siteId !== ctx.config.siteId) {
    badInput(ctx, 'topic', `unexpected topic ${JSON.stringify(topic.slice(0, 120))}`);
    return undefined;
  }
  const { deviceId, channel } = parsed;
  // Threat: a client forging door commands or access answers (edge-only channels) on the broker.
  if (!INBOUND.includes(channel)) {
    badInput(ctx, 'topic', `a client published on the edge-only channel ${channel} of ${deviceId}`);
    return undefined;
  }
  ctx.watch.health.current = deviceId;
  try {
    return routeDeviceMessage(ctx, deviceId, channel, payload);
  } finally {
    ctx.watch.health.current = undefined;
  }
}

/** A message on a device's own topic; bad input found while handling it counts against that device. */
function routeDeviceMessage(ctx: GatewayContext, deviceId: string, channel: DeviceChannel, payload: Buffer): Promise<unknown> | undefined {
  // Threat: oversized payloads exhausting memory or the outbox.
  if (payload.byteLength > MAX_MQTT_PAYLOAD_BYTES) {
    badInput(ctx, 'oversize', `${channel} from ${deviceId}: ${payload.byteLength} bytes`);
    return channel === 'access/request' ? answerMalformed(ctx, deviceId, undefined) : undefined;
  }
  const handlerError = (err: unknown): void => {
    if (err instanceof NotStoredError) throw err;
    ctx.burst.warn('handler-error', `${channel} from ${deviceId}: ${(err as Error).message}`);
  };
  try {
    return dispatch(ctx, deviceId, channel, payload)?.catch(handlerError);
  } catch (err) {
    handlerError(err);
    return undefined;
  }
}

function dispatch(ctx: GatewayContext, deviceId: string, channel: DeviceChannel, payload: Buffer): Promise<unknown> | void {
  switch (channel) {
    case 'config':
      return handleConfig(ctx, deviceId, payload);
    case 'availability':
      return handleAvailability(ctx, deviceId, payload);
    case 'state':
      return handleState(ctx, deviceId, payload);
    case 'events':
      return handleDeviceEvent(ctx, deviceId, payload);
    case 'access/request':
      return handleAccessRequest(ctx, deviceId, payload);
    case 'cmd/result':
      return handleCommandResult(ctx, deviceId, payload);
    case 'ota/progress':
      return ctx.firmware.onProgress(deviceId, payload);
    default:
      return;
  }
}
