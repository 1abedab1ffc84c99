import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic, type AccessResponse } from '@cr/shared';

/** Devices of one site speaking CONTRACT.md §2 to an edge's broker, for integration tests. */
export class MqttDevices {
  private readonly waiting = new Map<string, (r: AccessResponse) => void>();

  private constructor(
    readonly client: MqttClient,
    readonly siteId: string,
  ) {
    client.on('message', (topic, payload) => {
      try {
        if (topic.endsWith('/cmd')) return this.confirm(topic, payload);
        const r = JSON.parse(payload.toString('utf8')) as AccessResponse;
        this.waiting.get(r.requestId)?.(r);
      } catch {
        // a malformed response would fail the test through its timeout
      }
    });
  }

  /**
   * Connects as every device of the site, or with `login` as the devices it speaks for (a closed
   * broker lets a login subscribe to its own devices' topics only).
   */
  static async connect(url: string, siteId: string, login?: { username: string; password: string; deviceIds: string[] }): Promise<MqttDevices> {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...(login ? { username: login.username, password: login.password } : {}) });
    const ids = login?.deviceIds ?? ['+'];
    await client.subscribeAsync(ids.flatMap((id) => [`cr/${siteId}/devices/${id}/access/response`, `cr/${siteId}/devices/${id}/cmd`]), { qos: 1 });
    return new MqttDevices(client, siteId);
  }

  /** Doors confirm every command, as a working lock does. */
  private confirm(topic: string, payload: Buffer): void {
    const { id } = JSON.parse(payload.toString('utf8')) as { id: string };
    void this.client.publishAsync(`${topic}/result`, JSON.stringify({ id, ok: true, ts: Date.now() }), { qos: 1 }).catch(() => undefined);
  }

  /** Publishes a retained device config (what a device does when it boots). */
  async announce(config: { id: string; kind: string; name: string; zoneId?: string; doorId?: string }): Promise<void> {
    await this.client.publishAsync(deviceTopic(this.siteId, config.id, 'config'), JSON.stringify(config), {
      qos: 1,
      retain: true,
    });
  }

  /** Publishes a retained device state (a reading, a lock's position), stamped now. */
  async state(deviceId: string, state: Record<string, unknown>): Promise<void> {
    await this.client.publishAsync(deviceTopic(this.siteId, deviceId, 'state'), JSON.stringify({ ts: Date.now(), ...state }), { qos: 1, retain: true });
  }

  /** A reader asks for a decision; resolves with the edge's answer. */
  async swipe(readerId: string, card: string, timeoutMs = 3000): Promise<AccessResponse> {
    const requestId = randomUUID();
    const answer = new Promise<AccessResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error(`no access response to ${requestId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(requestId, (r) => {
        clearTimeout(timer);
        this.waiting.delete(requestId);
        resolve(r);
      });
    });
    await this.client.publishAsync(
      deviceTopic(this.siteId, readerId, 'access/request'),
      JSON.stringify({ requestId, credential: { type: 'card', value: card }, ts: Date.now() }),
      { qos: 1 },
    );
    return answer;
  }

  /** A device event with the caller's id; resolves when the broker acknowledged it (QoS 1). */
  async event(deviceId: string, event: { id: string; type: string; ts: number; data?: unknown }): Promise<void> {
    await this.client.publishAsync(deviceTopic(this.siteId, deviceId, 'events'), JSON.stringify(event), { qos: 1 });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
