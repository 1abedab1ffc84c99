import { isId, type Id } from '../ids';

/** Every MQTT topic of a site lives under this root (CONTRACT.md §2). */
export const TOPIC_ROOT = 'cr';

/** The per-device channels a device or the edge publishes on. */
export const DEVICE_CHANNELS = [
  'config',
  'availability',
  'state',
  'events',
  'access/request',
  'access/response',
  'cmd',
  'cmd/result',
  'ota',
  'ota/progress',
] as const;
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];

/** Channels only the edge publishes on (CONTRACT.md §2, §6): commands, access answers, firmware offers. */
export const EDGE_ONLY_CHANNELS = ['cmd', 'access/response', 'ota'] as const satisfies readonly DeviceChannel[];
const EDGE_ONLY = new Set<string>(EDGE_ONLY_CHANNELS);

/**
 * Whether a publish on `topic` may come only from the edge: a device channel of EDGE_ONLY_CHANNELS or
 * the edge status, for any site and any device id — also ids that are not valid ids, since a
 * subscriber's `+` wildcard would still match them. Threat: a LAN client forging a door `unlock`,
 * a `granted` answer, a firmware offer or the edge's own status.
 */
export function isEdgeOnlyTopic(topic: string): boolean {
  const parts = topic.split('/');
  if (parts[0] !== TOPIC_ROOT || parts.length < 4) return false;
  if (parts.length === 4 && parts[2] === 'edge' && parts[3] === 'status') return true;
  return parts[2] === 'devices' && EDGE_ONLY.has(parts.slice(4).join('/'));
}

export type ParsedTopic =
  | { kind: 'device'; siteId: Id; deviceId: Id; channel: DeviceChannel }
  | { kind: 'edge-status'; siteId: Id };

function checked(value: Id, what: string): Id {
  // Threat: an id with `/`, `+` or `#` would address (or subscribe to) other devices' topics.
  if (!isId(value)) throw new Error(`invalid ${what} ${JSON.stringify(value)} for an MQTT topic`);
  return value;
}

/** `cr/{siteId}/devices/{deviceId}/{channel}` */
export function deviceTopic(siteId: Id, deviceId: Id, channel: DeviceChannel): string {
  return `${TOPIC_ROOT}/${checked(siteId, 'site id')}/devices/${checked(deviceId, 'device id')}/${channel}`;
}

/** `cr/{siteId}/edge/status` */
export function edgeStatusTopic(siteId: Id): string {
  return `${TOPIC_ROOT}/${checked(siteId, 'site id')}/edge/status`;
}

/** Subscription filter for one channel of every device of a site, e.g. all `config` topics. */
export function deviceChannelFilter(siteId: Id, channel: DeviceChannel): string {
  return `${TOPIC_ROOT}/${checked(siteId, 'site id')}/devices/+/${channel}`;
}

/** Subscription filter for everything under a site. */
export function siteFilter(siteId: Id): string {
  return `${TOPIC_ROOT}/${checked(siteId, 'site id')}/#`;
}

const CHANNELS = new Set<string>(DEVICE_CHANNELS);

/** Parses any contract topic; returns undefined for anything else (including injected ids). */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts[0] !== TOPIC_ROOT || parts.length < 4) return undefined;
  const siteId = parts[1] ?? '';
  if (!isId(siteId)) return undefined;
  if (parts.length === 4 && parts[2] === 'edge' && parts[3] === 'status') {
    return { kind: 'edge-status', siteId };
  }
  if (parts[2] !== 'devices') return undefined;
  const deviceId = parts[3] ?? '';
  if (!isId(deviceId)) return undefined;
  const channel = parts.slice(4).join('/');
  if (!CHANNELS.has(channel)) return undefined;
  return { kind: 'device', siteId, deviceId, channel: channel as DeviceChannel };
}
