import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { preview } from './stats';

/** A message a subscriber received that carried the forgery marker. */
export interface Delivery {
  topic: string;
  payload: string;
  retained: boolean;
}

/**
 * An ordinary subscriber to `cr/{site}/#` for the whole run, as a LAN device or console would be:
 * every forged publish on an edge-only topic carries the run's marker, so any of them it receives
 * is a forged delivery (CONTRACT.md §6: counted and dropped, never delivered to any subscriber).
 */
export class SiteWatch {
  readonly forged: Delivery[] = [];
  received = 0;

  private constructor(
    private readonly client: MqttClient,
    marker: string,
  ) {
    const needle = Buffer.from(marker);
    client.on('message', (topic, payload, packet) => {
      this.received++;
      if (payload.includes(needle) && this.forged.length < 1_000)
        this.forged.push({ topic, payload: preview(payload), retained: packet.retain });
    });
  }

  static async start(url: string, siteId: string, marker: string): Promise<SiteWatch> {
    // Reconnects (and resubscribes) on its own if the edge crashes and is respawned.
    const client = await mqtt.connectAsync(url, {
      clientId: `fz-watch-${randomUUID()}`,
      reconnectPeriod: 300,
      resubscribe: true,
    });
    client.on('error', () => undefined);
    const watch = new SiteWatch(client, marker);
    await client.subscribeAsync(`cr/${siteId}/#`, { qos: 1 });
    return watch;
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/**
 * A fresh subscriber after the run: whatever forged message the broker kept as retained would
 * reach it. A sentinel published after the subscription marks the end of the retained replay.
 */
export async function retainedForgeries(url: string, siteId: string, marker: string): Promise<Delivery[]> {
  const client = await mqtt.connectAsync(url, { clientId: `fz-late-${randomUUID()}`, reconnectPeriod: 0 });
  const found: Delivery[] = [];
  const sentinel = `cr/${siteId}/devices/fz-sentinel/state`;
  const needle = Buffer.from(marker);
  const done = new Promise<void>((resolve) =>
    client.on('message', (topic, payload, packet) => {
      if (topic === sentinel && !packet.retain) return resolve();
      if (payload.includes(needle)) found.push({ topic, payload: preview(payload), retained: packet.retain });
    }),
  );
  try {
    await client.subscribeAsync(`cr/${siteId}/#`, { qos: 1 });
    await client.publishAsync(sentinel, '{"sentinel":true}', { qos: 1 });
    await Promise.race([
      done,
      new Promise((_, reject) => setTimeout(() => reject(new Error('sentinel never came back')), 10_000)),
    ]);
  } finally {
    await client.endAsync(true);
  }
  return found;
}
