import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LinkRouter, RoutedDelivery } from '../edge-link/link-hub';
import { defaultCloudLog, type CloudLog } from '../log';
import { readBroadcast, readReply, readRequest, type DeliverReply, type DeliverRequest } from './instance-messages';
import { LinkClaims } from './link-claims';
import { callSafely, connectBus, failuresLog, skippedLog, type BusConnection } from './redis-link';

/** The other instances of the deployment, as the edge-link hub sees them, over Redis. */
export interface InstanceBus extends LinkRouter {
  readonly instanceId: string;
  ping(): Promise<void>;
  /** Releases this instance's claims and leaves; a delivery still waiting answers 'unanswered'. */
  close(): Promise<void>;
}

export interface InstanceBusOptions {
  /** names the deployment's keys and channels (`<prefix>:link:…`, `<prefix>:inst:…`, `<prefix>:bcast:…`) */
  prefix: string;
  instanceId: string;
  log?: CloudLog;
  /** how long a delivery waits for the link's owner to answer before it counts as unanswered */
  deliverTimeoutMs?: number;
  /** how long a claim outlives an instance that stopped refreshing it */
  claimTtlMs?: number;
}

type DeliverHandler = (key: string, payload: unknown) => boolean | Promise<boolean>;
type BroadcastHandler = (payload: unknown, from: string) => void;

/**
 * Each edge link is claimed by the instance it ends at; a message for it is looked up, then sent
 * on the owner's channel, which answers on the sender's reply channel. No owner, or an owner that
 * is gone: 'offline'. An owner that took the message but whose answer did not come back in time:
 * 'unanswered', since the edge may have it (never reported as not delivered). Never a hang.
 * Broadcasts reach every other instance. Messages that cannot be read are logged and skipped.
 */
export async function openRedisInstanceBus(url: string, opts: InstanceBusOptions): Promise<InstanceBus> {
  const log = opts.log ?? defaultCloudLog();
  const [cmd, sub] = await connectBus(url, ['commands', 'subscriber'], log, 'instance bus');
  const bus = new RedisInstanceBus(cmd!, sub!, opts, log);
  try {
    await bus.start();
  } catch (err) {
    await bus.close();
    throw err;
  }
  return bus;
}

class RedisInstanceBus implements InstanceBus {
  readonly instanceId: string;
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly claims: LinkClaims;
  private readonly prefix: string;
  private readonly requests: string;
  private readonly replies: string;
  private readonly timeoutMs: number;
  private readonly pending = new Map<string, (answer: RoutedDelivery) => void>();
  private readonly topics = new Map<string, Set<BroadcastHandler>>();
  private readonly skipped: (reason: string) => void;
  private readonly failed: (reason: string) => void;
  private handler: DeliverHandler | undefined;
  private closed = false;

  constructor(
    private readonly cmdConn: BusConnection,
    private readonly subConn: BusConnection,
    opts: InstanceBusOptions,
    private readonly log: CloudLog,
  ) {
    this.instanceId = opts.instanceId;
    this.prefix = opts.prefix;
    this.cmd = cmdConn.redis;
    this.sub = subConn.redis;
    this.requests = `${opts.prefix}:inst:${opts.instanceId}`;
    this.replies = `${opts.prefix}:reply:${opts.instanceId}`;
    this.timeoutMs = opts.deliverTimeoutMs ?? 2_000;
    this.claims = new LinkClaims(this.cmd, opts.prefix, opts.instanceId, opts.claimTtlMs ?? 30_000, log);
    this.skipped = skippedLog(log, 'the instance bus');
    this.failed = failuresLog(log, 'instance bus requests');
    cmdConn.onReconnect(() => void this.claims.refresh());
    subConn.onReconnect(() => void this.subscribeAll());
  }

  async start(): Promise<void> {
    this.sub.on('message', (channel: string, message: string) => this.arrived(channel, message));
    await this.sub.subscribe(this.requests, this.replies);
  }

  claimLink(key: string): void {
    if (!this.closed) this.claims.claim(key);
  }

  releaseLink(key: string): void {
    if (!this.closed) this.claims.release(key);
  }

  onDeliver(fn: DeliverHandler): void {
    this.handler = fn;
  }

  async deliver(key: string, payload: unknown): Promise<RoutedDelivery> {
    if (this.closed) return 'offline';
    let owner: string | null;
    try {
      owner = await this.cmd.get(this.claims.keyOf(key));
    } catch (err) {
      this.failed(`owner of ${key} not looked up: ${(err as Error).message}`);
      return 'offline';
    }
    if (!owner) return 'offline';
    if (owner === this.instanceId) return (await this.deliverHere(key, payload)) ? 'sent' : 'offline';
    const request: DeliverRequest = { id: randomUUID(), key, payload, replyTo: this.instanceId };
    const answer = this.awaitReply(request.id);
    try {
      // Nobody listening on the owner's channel: the owner is gone, its claim not yet expired.
      const listeners = await this.cmd.publish(`${this.prefix}:inst:${owner}`, JSON.stringify(request));
      if (listeners === 0) this.pending.get(request.id)?.('offline');
    } catch (err) {
      // Redis may have taken the message before the connection failed: the owner may have it.
      this.failed(`message for ${key} not confirmed sent: ${(err as Error).message}`);
      this.pending.get(request.id)?.('unanswered');
    }
    return answer;
  }

  async broadcast(topic: string, payload: unknown): Promise<void> {
    if (this.closed) throw new Error('the instance bus is closed');
    await this.cmd.publish(this.topicChannel(topic), JSON.stringify({ from: this.instanceId, payload }));
  }

  onBroadcast(topic: string, fn: BroadcastHandler): () => void {
    let handlers = this.topics.get(topic);
    if (!handlers) {
      handlers = new Set();
      this.topics.set(topic, handlers);
      this.sub.subscribe(this.topicChannel(topic)).catch((err: Error) => this.failed(`subscribe to ${topic}: ${err.message}`));
    }
    handlers.add(fn);
    const mine = handlers;
    return () => {
      mine.delete(fn);
      if (mine.size > 0 || this.topics.get(topic) !== mine) return;
      this.topics.delete(topic);
      this.sub.unsubscribe(this.topicChannel(topic)).catch(() => undefined);
    };
  }

  async ping(): Promise<void> {
    // The subscriber answers after every subscription asked for before it is in place.
    await Promise.all([this.cmd.ping(), this.sub.ping()]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const settle of [...this.pending.values()]) settle('unanswered');
    await this.claims.close();
    this.cmdConn.close();
    this.subConn.close();
  }

  private topicChannel(topic: string): string {
    return `${this.prefix}:bcast:${topic}`;
  }

  private awaitReply(id: string): Promise<RoutedDelivery> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle('unanswered'), this.timeoutMs);
      timer.unref();
      const settle = (answer: RoutedDelivery) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(answer);
      };
      this.pending.set(id, settle);
    });
  }

  /** The local handler's answer; a handler that fails says false, one that takes too long is not waited for. */
  private async deliverHere(key: string, payload: unknown): Promise<boolean> {
    const handler = this.handler;
    if (!handler) return false;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.timeoutMs);
      timer.unref();
    });
    try {
      return (await Promise.race([Promise.resolve(handler(key, payload)), late])) === true;
    } catch (err) {
      this.log.warn(`cluster: delivery to edge link ${key} failed: ${(err as Error).message}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private arrived(channel: string, message: string): void {
    if (channel === this.requests) return void this.requested(message);
    if (channel === this.replies) return this.replied(message);
    const bcast = `${this.prefix}:bcast:`;
    if (channel.startsWith(bcast)) this.broadcastArrived(channel.slice(bcast.length), message);
  }

  private async requested(message: string): Promise<void> {
    const req = readRequest(message);
    if (typeof req === 'string') return this.skipped(`request: ${req}`);
    const reply: DeliverReply = { id: req.id, ok: await this.deliverHere(req.key, req.payload) };
    if (this.closed) return;
    await this.cmd
      .publish(`${this.prefix}:reply:${req.replyTo}`, JSON.stringify(reply))
      .catch((err: Error) => this.failed(`reply not sent: ${err.message}`));
  }

  private replied(message: string): void {
    const reply = readReply(message);
    if (typeof reply === 'string') return this.skipped(`reply: ${reply}`);
    // A reply nobody waits for any more arrived after its timeout.
    this.pending.get(reply.id)?.(reply.ok ? 'sent' : 'offline');
  }

  private broadcastArrived(topic: string, message: string): void {
    const handlers = this.topics.get(topic);
    if (!handlers) return;
    const m = readBroadcast(message);
    if (typeof m === 'string') return this.skipped(`broadcast on ${topic}: ${m}`);
    if (m.from === this.instanceId) return;
    for (const fn of [...handlers]) callSafely(this.log, `a broadcast on ${topic}`, () => fn(m.payload, m.from));
  }

  /** After the subscriber was lost: every channel again, including those asked for while Redis was away. */
  private async subscribeAll(): Promise<void> {
    const channels = [this.requests, this.replies, ...[...this.topics.keys()].map((t) => this.topicChannel(t))];
    await this.sub.subscribe(...channels).catch((err: Error) => this.failed(`subscribe: ${err.message}`));
  }
}
