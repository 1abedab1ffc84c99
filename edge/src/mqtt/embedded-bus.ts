import { createServer, type Server } from 'node:net';
import { Aedes, type AedesPublishPacket, type Client, type PublishPacket } from 'aedes';
import type { DeviceBus, MessageHandler } from './bus';
import { topicMatches } from './topic-filter';

type Callback = (err?: Error | null) => void;

/**
 * The embedded broker (aedes). The edge handles each device message inside aedes' publish
 * authorization step, which runs before aedes sends the QoS 1 PUBACK: a device hears "received"
 * only after the edge committed the event (aedes acknowledges before delivering to subscribers, so
 * an ordinary in-process subscription would acknowledge too early). Wills pass the same step.
 */
export class EmbeddedBus implements DeviceBus {
  private filters: string[] = [];
  private handler?: MessageHandler;
  private markReady!: () => void;
  /** messages that arrive before the edge subscribed wait here instead of being acknowledged unhandled */
  private readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  private server?: Server;
  /** URL devices connect to (set once listening) */
  url = '';
  port = 0;

  private constructor(private readonly broker: Aedes) {
    broker.authorizePublish = (_client: Client | null, packet: PublishPacket, cb: Callback) => this.intercept(packet, cb);
  }

  static async start(port: number, host: string): Promise<EmbeddedBus> {
    const bus = new EmbeddedBus(await Aedes.createBroker({ heartbeatInterval: 60_000 }));
    const server = createServer(bus.broker.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const addr = server.address();
    bus.server = server;
    bus.port = typeof addr === 'object' && addr ? addr.port : port;
    bus.url = `mqtt://127.0.0.1:${bus.port}`;
    return bus;
  }

  private intercept(packet: PublishPacket, cb: Callback): void {
    // Threat: clients publishing into the broker's own $SYS tree (aedes' default guard, kept).
    if (packet.topic.startsWith('$SYS')) return cb(new Error('$SYS topic is reserved'));
    if (!this.handler) return void this.ready.then(() => this.intercept(packet, cb));
    if (!this.filters.some((f) => topicMatches(f, packet.topic))) return cb(null);
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    this.handle(packet.topic, payload).then(
      () => cb(null),
      (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
    );
  }

  private handle(topic: string, payload: Buffer): Promise<unknown> {
    try {
      return Promise.resolve(this.handler!(topic, payload));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async subscribe(filters: string[], onMessage: MessageHandler): Promise<void> {
    this.filters = filters;
    this.handler = onMessage;
    this.markReady();
  }

  publish(topic: string, payload: string, opts: { retain?: boolean; qos?: 0 | 1 } = {}): void {
    const packet = { cmd: 'publish', topic, payload: Buffer.from(payload), qos: opts.qos ?? 0, retain: opts.retain ?? false, dup: false } as const;
    this.broker.publish(packet as unknown as AedesPublishPacket, () => undefined);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    // Devices hold open connections; a closing edge ends them rather than waiting on them.
    this.server?.close();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
