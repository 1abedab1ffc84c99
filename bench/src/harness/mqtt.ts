import type { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic } from '@cr/shared';

/**
 * A device-side MQTT client of an edge's broker, connected. TCP_NODELAY is set as a latency-minded
 * device stack does: with Nagle on, small request packets wait up to the peer's 40 ms delayed ACK.
 */
export async function connectDevice(url: string, clientId: string): Promise<MqttClient> {
  const client = mqtt.connect(url, { clientId, reconnectPeriod: 0, connectTimeout: 10_000 });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  (client.stream as unknown as Socket).setNoDelay?.(true);
  return client;
}

export function publish(client: MqttClient, topic: string, payload: string, opts: { retain?: boolean; qos?: 0 | 1 } = {}): Promise<void> {
  return new Promise((resolve, reject) => client.publish(topic, payload, { qos: opts.qos ?? 1, retain: opts.retain ?? false }, (err) => (err ? reject(err) : resolve())));
}

export async function subscribe(client: MqttClient, topic: string): Promise<void> {
  await client.subscribeAsync(topic, { qos: 1 });
}

export interface DeviceAnnouncement {
  id: string;
  kind: string;
  name: string;
  zoneId?: string;
  doorId?: string;
}

/** Announces devices as they do on boot: retained config, then retained `online`. */
export async function announce(client: MqttClient, siteId: string, devices: readonly DeviceAnnouncement[]): Promise<void> {
  await Promise.all(
    devices.flatMap((d) => [
      publish(client, deviceTopic(siteId, d.id, 'config'), JSON.stringify(d), { retain: true }),
      publish(client, deviceTopic(siteId, d.id, 'availability'), 'online', { retain: true }),
    ]),
  );
}

/** Reads one gauge/counter value (summed over labels) from Prometheus text. */
export function metricValue(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Mean of a Prometheus histogram (sum / count) and the share of observations at or below `le`. */
export function histogramStats(text: string, name: string, le: string): { mean: number; shareBelow: number } {
  const sum = metricValue(text, `${name}_sum`);
  const count = metricValue(text, `${name}_count`);
  const bucket = text.split('\n').find((l) => l.startsWith(`${name}_bucket{`) && l.includes(`le="${le}"`));
  const below = bucket ? Number(bucket.slice(bucket.lastIndexOf(' ') + 1)) : Number.NaN;
  return { mean: count ? sum / count : Number.NaN, shareBelow: count ? below / count : Number.NaN };
}
