import { parseTopic, TOPIC_ROOT, type DeviceChannel } from '@cr/shared';
import type { DeviceUser } from './device-users';

/** Channels a device publishes on (the edge alone publishes `cmd`, `access/response`, `ota` and `edge/status`). */
export const DEVICE_PUBLISHES: DeviceChannel[] = ['config', 'availability', 'state', 'events', 'access/request', 'cmd/result', 'ota/progress'];
const PUBLISHES = new Set<string>(DEVICE_PUBLISHES);

const speaksFor = (user: DeviceUser, deviceId: string): boolean => user.deviceIds === '*' || user.deviceIds.includes(deviceId);

/**
 * May this login publish on `topic`? Threats: a LAN client announcing itself as a fire panel or
 * as another device (own device ids only), and any device forging door commands, access answers
 * or the edge's status (edge-only channels).
 */
export function mayPublish(user: DeviceUser, siteId: string, topic: string): boolean {
  const t = parseTopic(topic);
  return t?.kind === 'device' && t.siteId === siteId && PUBLISHES.has(t.channel) && speaksFor(user, t.deviceId);
}

/**
 * May this login subscribe to `filter`? Only its own devices' topics (and the edge status), so a
 * device cannot read other readers' access answers (member ids) or other doors' commands.
 */
export function maySubscribe(user: DeviceUser, siteId: string, filter: string): boolean {
  const parts = filter.split('/');
  if (parts[0] !== TOPIC_ROOT || parts[1] !== siteId) return false;
  if (filter === `${TOPIC_ROOT}/${siteId}/edge/status`) return true;
  if (user.deviceIds === '*') return true;
  // `+` or `#` at the device level would reach every device.
  return parts[2] === 'devices' && parts.length >= 4 && speaksFor(user, parts[3]!);
}
