import { createServer, type Server } from 'node:net';
import { Aedes, type AedesPublishPacket } from 'aedes';
import type { DeviceBus } from './bus';

/**
 * The embedded broker (aedes) with the edge as an in-process subscriber: a device's QoS 1 publish
 * is acknowledged only after the edge's handler returned, i.e. after the event is in the outbox.
 */
export class EmbeddedBus implements DeviceBus {
  private constructor(
    private readonly broker: Aedes,
    private readonly server: Server,
    readonly url: string,
    readonly port: number,
  ) {}

  static async start(port: number, host: string, lastWill?: { topic: string; payload: string }): Promise<EmbeddedBus> {
    const broker = await Aedes.createBroker({ heartbeatInterval: 60_000 });
    const server = createServer(broker.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const addr = server.address();
    const actual = typeof addr === 'object' && addr ? addr.port : port;
    const bus = new EmbeddedBus(broker, server, `mqtt://127.0.0.1:${actual}`, actual);
    if (lastWill) bus.publish(lastWill.topic, lastWill.payload, { retain: true });
    return bus;
  }

  async subscribe(filters: string[], onMessage: (topic: string, payload: Buffer) => void): Promise<void> {
    const deliver = (packet: AedesPublishPacket, cb: () => void): void => {
      try {
        onMessage(packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload));
      } finally {
        cb();
      }
    };
    await Promise.all(filters.map((f) => new Promise<void>((resolve) => this.broker.subscribe(f, deliver, () => resolve()))));
  }

  publish(topic: string, payload: string, opts: { retain?: boolean; qos?: 0 | 1 } = {}): void {
    const packet = { cmd: 'publish', topic, payload: Buffer.from(payload), qos: opts.qos ?? 0, retain: opts.retain ?? false, dup: false } as const;
    this.broker.publish(packet as unknown as AedesPublishPacket, () => undefined);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    // Devices hold open connections; a closing edge ends them rather than waiting on them.
    this.server.close();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
