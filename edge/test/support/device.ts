import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic, isId, type AccessResponse, type DeviceCommand } from '@cr/shared';
import { waitFor } from './wait';

/** A test device (or a whole site of them) speaking CONTRACT.md §2 to the edge's broker. */
export class TestDevices {
  readonly responses: Array<AccessResponse & { readerId: string }> = [];
  readonly commands: Array<DeviceCommand & { deviceId: string }> = [];
  readonly other: Array<{ topic: string; payload: string }> = [];
  confirmCommands = true;
  /** doors that never confirm (a jammed or disconnected lock) */
  readonly silent = new Set<string>();

  private constructor(
    readonly client: MqttClient,
    readonly siteId: string,
  ) {
    client.on('message', (topic, payload) => {
      const parts = topic.split('/');
      const deviceId = parts[3] ?? '';
      const text = payload.toString();
      if (!text.startsWith('{')) return void this.other.push({ topic, payload: text });
      if (topic.endsWith('/access/response')) this.responses.push({ ...(JSON.parse(text) as AccessResponse), readerId: deviceId });
      else if (topic.endsWith('/cmd')) {
        const cmd = JSON.parse(text) as DeviceCommand;
        this.commands.push({ ...cmd, deviceId });
        // Doors confirm like a real lock unless a test silences them.
        if (this.confirmCommands && !this.silent.has(deviceId) && isId(deviceId)) this.raw(this.topic(deviceId, 'cmd/result'), JSON.stringify({ id: cmd.id, ok: true, ts: Date.now() })).catch(() => undefined);
      }
      else this.other.push({ topic, payload: text });
    });
  }

  static async connect(url: string, siteId: string, auth: { username?: string; password?: string } = {}): Promise<TestDevices> {
    const client = await mqtt.connectAsync(url, { clientId: `test-${randomUUID()}`, reconnectPeriod: 0, ...auth });
    await client.subscribeAsync([`cr/${siteId}/devices/+/access/response`, `cr/${siteId}/devices/+/cmd`, `cr/${siteId}/edge/status`], { qos: 1 });
    return new TestDevices(client, siteId);
  }

  topic(deviceId: string, channel: Parameters<typeof deviceTopic>[2]): string {
    return deviceTopic(this.siteId, deviceId, channel);
  }

  async raw(topic: string, payload: string | Buffer, retain = false): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos: 1, retain });
  }

  async config(config: Record<string, unknown>): Promise<void> {
    await this.raw(this.topic(String(config.id), 'config'), JSON.stringify(config), true);
  }

  async availability(deviceId: string, value: 'online' | 'offline'): Promise<void> {
    await this.raw(this.topic(deviceId, 'availability'), value, true);
  }

  async state(deviceId: string, state: Record<string, unknown>): Promise<void> {
    await this.raw(this.topic(deviceId, 'state'), JSON.stringify({ ts: Date.now(), ...state }), true);
  }

  async event(deviceId: string, type: string, data?: Record<string, unknown>, id: string = randomUUID(), ts = Date.now()): Promise<string> {
    await this.raw(this.topic(deviceId, 'events'), JSON.stringify({ id, type, ts, data }));
    return id;
  }

  /** Registers a door with a reader in a zone. */
  async doorWithReader(zoneId: string, n = zoneId): Promise<{ doorId: string; readerId: string }> {
    const doorId = `door-${n}`;
    const readerId = `reader-${n}`;
    await this.config({ id: doorId, kind: 'door', name: `Door ${n}`, zoneId });
    await this.config({ id: readerId, kind: 'reader', name: `Reader ${n}`, zoneId, doorId });
    return { doorId, readerId };
  }

  /** Swipes a credential and waits for the edge's answer. */
  async swipe(readerId: string, value: string, type = 'card'): Promise<AccessResponse> {
    const requestId = randomUUID();
    await this.raw(this.topic(readerId, 'access/request'), JSON.stringify({ requestId, credential: { type, value }, ts: Date.now() }));
    return waitFor(() => this.responses.find((r) => r.requestId === requestId), `access response to ${requestId}`);
  }

  commandsFor(deviceId: string): Array<DeviceCommand & { deviceId: string }> {
    return this.commands.filter((c) => c.deviceId === deviceId);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
