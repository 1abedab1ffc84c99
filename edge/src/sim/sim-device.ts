import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic, type DemoDevice, type DeviceChannel } from '@cr/shared';
import { keepNoDelay } from '../mqtt/no-delay';

/**
 * One simulated device with its own MQTT connection, so its last will (`offline`, retained) fires
 * when it drops like a real device's would. It announces config, availability and state on every
 * connect.
 */
export class SimDevice {
  private client?: MqttClient;
  state: Record<string, unknown>;
  /** lock internals that are not part of the published state */
  readonly lock = {
    held: false,
    unlocked: false,
    /** background traffic leaves this door alone (an incident is being staged on it) */
    reserved: false,
    /** until when the last grant's pulse let the door open */
    pulseUntil: 0,
    /** people who slip in behind the next person granted through this door */
    followers: 0,
  };
  /** background behaviour leaves this device's readings alone (an incident is staged on it) */
  staged = false;
  /** the firmware version it announces (an OTA update changes it) */
  firmware = '1.0.0';

  constructor(
    readonly siteId: string,
    readonly spec: DemoDevice,
    private readonly url: string,
    initialState: Record<string, unknown>,
    private readonly onMessage: (device: SimDevice, channel: string, payload: Buffer) => void,
  ) {
    this.state = initialState;
  }

  topic(channel: DeviceChannel): string {
    return deviceTopic(this.siteId, this.spec.id, channel);
  }

  get online(): boolean {
    return this.client?.connected ?? false;
  }

  async connect(): Promise<void> {
    // A real reader or lock stack sends small packets with Nagle off; so does the simulated one.
    const client = keepNoDelay(mqtt.connect(this.url, {
      clientId: `sim-${this.siteId}-${this.spec.id}-${randomUUID().slice(0, 8)}`,
      reconnectPeriod: 1_000,
      will: { topic: this.topic('availability'), payload: Buffer.from('offline'), qos: 1, retain: true },
    }));
    this.client = client;
    client.on('error', () => undefined);
    client.on('message', (topic, payload) => this.onMessage(this, topic.split('/').slice(4).join('/'), payload));
    client.on('connect', () => this.announce());
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no MQTT broker at ${this.url}`)), 10_000);
      client.once('connect', () => (clearTimeout(timer), resolve()));
    });
    const subs = [...(this.spec.kind === 'door' ? ['cmd'] : this.spec.kind === 'reader' ? ['access/response'] : []), 'ota'];
    await client.subscribeAsync(subs.map((c) => this.topic(c as DeviceChannel)), { qos: 1 });
  }

  /** Publishes its config again (retained), e.g. after a firmware update. */
  announceConfig(): void {
    const { id, kind, name, zoneId, doorId, position } = this.spec;
    this.publish('config', JSON.stringify({ id, kind, name, zoneId, doorId, position, model: `sim-${kind}`, firmware: this.firmware }), true);
  }

  private announce(): void {
    this.announceConfig();
    this.publish('availability', 'online', true);
    this.publishState();
  }

  publish(channel: DeviceChannel, payload: string, retain = false): void {
    this.client?.publish(this.topic(channel), payload, { qos: 1, retain });
  }

  setState(patch: Record<string, unknown>): void {
    this.state = { ...this.state, ...patch };
    this.publishState();
  }

  publishState(): void {
    this.publish('state', JSON.stringify({ ...this.state, ts: Date.now() }), true);
  }

  event(type: string, data?: Record<string, unknown>): string {
    const id = randomUUID();
    this.publish('events', JSON.stringify({ id, type, ts: Date.now(), data }));
    return id;
  }

  /** Drops the connection without a goodbye: the broker publishes the last will. */
  dropOffline(): void {
    const c = this.client;
    this.client = undefined;
    if (!c) return;
    c.options.reconnectPeriod = 0;
    c.stream.destroy();
    c.end(true);
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (!c) return;
    c.publish(this.topic('availability'), 'offline', { qos: 1, retain: true });
    await c.endAsync();
  }
}
