import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { isEdgeOnlyTopic } from '@cr/shared';
import type { DeviceBus, MessageHandler } from './bus';
import { keepNoDelay } from './no-delay';
import { ForgeryWatch } from './forgery-watch';

export interface ClientBusOptions {
  /** edge-only topics of this site, watched for messages the edge did not send */
  watch: string[];
  onForged(topic: string): void;
}

/**
 * The edge as a client of an external broker (e.g. Mosquitto). A persistent session with a fixed
 * client id and QoS 1 subscriptions lets the broker keep device events while the edge restarts;
 * the edge acknowledges each message to the broker only after the handler's commit, so a message
 * the edge did not store is redelivered. mqtt.js hands over one message at a time, so with an
 * external broker the edge's intake is bounded by commit latency (see README). Messages on the
 * edge-only topics are never handed to the gateway: they are only compared with what the edge sent.
 */
export class ClientBus implements DeviceBus {
  private handler?: MessageHandler;
  /** messages that arrived (from the persistent session) before the edge subscribed; not yet acknowledged */
  private readonly waiting: Array<{ packet: IPublishPacket; done: (err?: Error) => void }> = [];
  private readonly forgeries = new ForgeryWatch();

  private constructor(
    private readonly client: MqttClient,
    readonly url: string,
    private readonly opts: ClientBusOptions,
  ) {
    client.handleMessage = (packet, done) => {
      if (isEdgeOnlyTopic(packet.topic)) return this.check(packet, done);
      if (!this.handler) return void this.waiting.push({ packet, done });
      this.deliver(packet, done);
    };
  }

  /** A retained copy is history the broker replays on subscribe, not a live publish: only live ones are judged. */
  private check(packet: IPublishPacket, done: () => void): void {
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    if (!packet.retain && this.forgeries.isForged(packet.topic, payload)) this.opts.onForged(packet.topic);
    done();
  }

  private deliver(packet: IPublishPacket, done: (err?: Error) => void): void {
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    let handled: Promise<unknown>;
    try {
      handled = Promise.resolve(this.handler?.(packet.topic, payload));
    } catch (err) {
      handled = Promise.reject(err);
    }
    handled.then(
      () => done(),
      (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
    );
  }

  /** `status` is published retained on every (re)connect and left as the last will. */
  static async connect(url: string, clientId: string, status: { topic: string; online: string; offline: string }, opts: ClientBusOptions): Promise<ClientBus> {
    const client = keepNoDelay(mqtt.connect(url, {
      clientId,
      clean: false,
      reconnectPeriod: 1_000,
      connectTimeout: 10_000,
      will: { topic: status.topic, payload: Buffer.from(status.offline), qos: 1, retain: true },
    }));
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        client.end(true);
        reject(new Error(`cannot reach MQTT broker ${url}: ${err.message}`));
      };
      const timer = setTimeout(() => fail(new Error('timed out')), 10_000);
      client.once('connect', () => {
        clearTimeout(timer);
        client.off('error', fail);
        resolve();
      });
      client.once('error', fail);
    });
    client.on('error', () => undefined); // reconnects on its own; errors surface as offline
    const bus = new ClientBus(client, url, opts);
    const announce = (): void => bus.publish(status.topic, status.online, { qos: 1, retain: true });
    client.on('connect', announce);
    announce();
    await client.subscribeAsync(opts.watch, { qos: 0 });
    return bus;
  }

  async subscribe(filters: string[], onMessage: MessageHandler): Promise<void> {
    this.handler = onMessage;
    for (const w of this.waiting.splice(0)) this.deliver(w.packet, w.done);
    await this.client.subscribeAsync(filters, { qos: 1 });
  }

  publish(topic: string, payload: string, opts: { retain?: boolean; qos?: 0 | 1 } = {}): void {
    if (isEdgeOnlyTopic(topic)) this.forgeries.remember(topic, payload);
    this.client.publish(topic, payload, { retain: opts.retain ?? false, qos: opts.qos ?? 0 });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
