import { createServer, type Server } from 'node:net';
import { Aedes, type AedesPublishPacket, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import { isEdgeOnlyTopic } from '@cr/shared';
import type { DeviceBus, MessageHandler } from './bus';
import { topicMatches } from './topic-filter';
import type { DeviceAuth } from './device-auth';
import { guardFrames, MAX_FRAME_BYTES } from './frame-guard';

/**
 * What the broker refused before the edge saw it: oversized packets, topics MQTT forbids in a
 * publish, and publishes on edge-only topics by anyone but the edge (`forged`).
 */
export type BrokerRejection = 'oversize' | 'topic' | 'forged';

export interface BrokerOptions {
  auth?: DeviceAuth;
  onRejected?: (kind: BrokerRejection, detail: string) => void;
}

type Callback = (err?: Error | null) => void;

/**
 * The embedded broker (aedes). The edge handles each device message inside aedes' publish
 * authorization step, which runs before aedes sends the QoS 1 PUBACK: a device hears "received"
 * only after the edge committed the event (aedes acknowledges before delivering to subscribers, so
 * an ordinary in-process subscription would acknowledge too early). Wills pass the same step.
 * With `auth` (`--mqtt-users`) every client logs in and the ACL decides what it may publish and
 * subscribe to; a publish outside its devices' topics drops the connection (MQTT-3.3.5-2).
 * Whatever the auth mode, no client may publish on an edge-only topic: the edge's own messages
 * enter through `broker.publish`, which never passes this step, so every publish that does is forged.
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

  private constructor(
    private readonly broker: Aedes,
    private readonly auth?: DeviceAuth,
    private readonly rejected: (kind: BrokerRejection, detail: string) => void = () => undefined,
  ) {
    broker.authorizePublish = (client: Client | null, packet: PublishPacket, cb: Callback) => this.intercept(client, packet, cb);
    if (auth) this.guard(auth);
  }

  private guard(auth: DeviceAuth): void {
    this.broker.authenticate = (client, username, password, done) => {
      auth.login(client, username, password).then(
        (user) => (user ? done(null, true) : done(Object.assign(new Error('bad username or password'), { returnCode: 4 }) as AuthenticateError, false)),
        (err: Error) => done(Object.assign(err, { returnCode: 3 }) as AuthenticateError, false),
      );
    };
    // A refused subscription is answered with failure (0x80); the client stays connected.
    this.broker.authorizeSubscribe = (client, sub, cb) => cb(null, auth.maySubscribe(client, sub.topic) ? sub : null);
    this.broker.on('clientDisconnect', (client) => auth.disconnected(client));
  }

  static async start(port: number, host: string, opts: BrokerOptions = {}): Promise<EmbeddedBus> {
    const rejected = opts.onRejected ?? (() => undefined);
    const bus = new EmbeddedBus(await Aedes.createBroker({ heartbeatInterval: 60_000 }), opts.auth, rejected);
    // aedes drops a client that publishes with `+`/`#` or too many levels; the edge counts it.
    bus.broker.on('clientError', (client, err) => {
      if (/not allowed in PUBLISH|too many levels|empty topic/.test(err.message)) rejected('topic', `${client.id.slice(0, 64)}: ${err.message}`);
    });
    // Nagle off: access answers and door commands are small packets that must not wait for the
    // device's delayed ACK (up to 40 ms) behind an earlier unacknowledged one.
    const server = createServer({ noDelay: true }, (socket) => {
      bus.broker.handle(socket);
      guardFrames(socket, MAX_FRAME_BYTES, (bytes) => rejected('oversize', `packet of ${bytes} bytes from ${socket.remoteAddress ?? 'a client'}; connection closed`));
    });
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

  private intercept(client: Client | null, packet: PublishPacket, cb: Callback): void {
    // Threat: clients publishing into the broker's own $SYS tree (aedes' default guard, kept).
    if (packet.topic.startsWith('$SYS')) return cb(new Error('$SYS topic is reserved'));
    // Threat: any LAN client (or its last will) publishing a door `unlock`, a `granted` answer, a
    // firmware offer or the edge's status. Refused before delivery; the client is disconnected.
    if (isEdgeOnlyTopic(packet.topic)) {
      this.rejected('forged', `${client ? JSON.stringify(client.id.slice(0, 64)) : 'a stale will'} published on the edge-only topic ${packet.topic.slice(0, 120)}`);
      return cb(new Error('edge-only topic'));
    }
    if (this.auth && !this.auth.mayPublish(client, packet.topic)) return cb(new Error('not allowed to publish on this topic'));
    if (!this.handler) return void this.ready.then(() => this.intercept(client, packet, cb));
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
