import type { Redis } from 'ioredis';
import type { DocFanout } from '../sync/doc-registry';
import { defaultCloudLog, type CloudLog } from '../log';
import { encodePresence, readPresence, readUpdate, updateFields, type RemoteDocUpdate, type RemotePresence } from './doc-bus-codec';
import { callSafely, connectBus, failuresLog, skippedLog, sleep, type BusConnection } from './redis-link';
import { compareIds, idBefore, STREAM_START, streamState, type StreamState } from './stream-position';

export type { RemoteDocUpdate, RemotePresence } from './doc-bus-codec';

/**
 * Document changes and presence between the instances of one deployment. Changes are news, not
 * the truth: one may be lost (Redis restarted, the stream trimmed past a slow reader), and then
 * `onResync` listeners are told to read the shared store again.
 */
export interface DocBus extends DocFanout {
  readonly instanceId: string;
  /** changes other instances stored, in the order they published them */
  onUpdate(fn: (m: RemoteDocUpdate) => void): () => void;
  onAwareness(fn: (m: RemotePresence) => void): () => void;
  /** changes may have been missed since the last call: read them from the store */
  onResync(fn: () => void): () => void;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DocBusOptions {
  /** names the deployment's keys and channels: `<prefix>:docs`, `<prefix>:awareness` */
  prefix: string;
  instanceId: string;
  log?: CloudLog;
  /** entries the stream keeps, approximately (older ones are trimmed) */
  maxLen?: number;
  /** how long one read waits for news before the stream's position is checked */
  blockMs?: number;
}

const BATCH = 200;
/** even while busy, the reader checks this often whether the stream lost entries it had not read */
const CHECK_MS = 5_000;
const RETRY_MS = 250;

/**
 * Publishes each stored change with XADD on the deployment's one stream and reads the stream from
 * where it stood at open, on a connection of its own; presence goes over pub/sub. An entry or
 * message that cannot be read is logged and skipped; the reader stops only when the bus is closed.
 */
export async function openRedisDocBus(url: string, opts: DocBusOptions): Promise<DocBus> {
  const log = opts.log ?? defaultCloudLog();
  const [pub, reader, sub] = await connectBus(url, ['commands', 'reader', 'subscriber'], log, 'document bus');
  const bus = new RedisDocBus({ pub: pub!, reader: reader!, sub: sub! }, opts, log);
  try {
    await bus.start();
  } catch (err) {
    await bus.close();
    throw err;
  }
  return bus;
}

class RedisDocBus implements DocBus {
  readonly instanceId: string;
  private readonly pub: Redis;
  private readonly reader: Redis;
  private readonly sub: Redis;
  private readonly stream: string;
  private readonly channel: string;
  private readonly maxLen: number;
  private readonly blockMs: number;
  private readonly updates = new Set<(m: RemoteDocUpdate) => void>();
  private readonly presence = new Set<(m: RemotePresence) => void>();
  private readonly resyncs = new Set<() => void>();
  private readonly skipped: (reason: string) => void;
  private readonly readFailed: (reason: string) => void;
  private lastId = STREAM_START;
  private checkedAt = 0;
  private mustCheck = false;
  private resyncDue = false;
  private closed = false;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly conns: { pub: BusConnection; reader: BusConnection; sub: BusConnection },
    opts: DocBusOptions,
    private readonly log: CloudLog,
  ) {
    [this.pub, this.reader, this.sub] = [conns.pub.redis, conns.reader.redis, conns.sub.redis];
    conns.reader.onReconnect(() => this.reconnected());
    conns.sub.onReconnect(() => {
      this.sub.subscribe(this.channel).catch((err: Error) => this.readFailed(`presence subscription: ${err.message}`));
    });
    this.instanceId = opts.instanceId;
    this.stream = `${opts.prefix}:docs`;
    this.channel = `${opts.prefix}:awareness`;
    this.maxLen = opts.maxLen ?? 100_000;
    this.blockMs = opts.blockMs ?? 2_000;
    this.skipped = skippedLog(log, `the document stream ${this.stream}`);
    this.readFailed = failuresLog(log, `reads of ${this.stream}`);
  }

  /** Reads on from the stream's newest entry, and listens for presence. */
  async start(): Promise<void> {
    const state = await this.state();
    this.lastId = state?.lastGenerated ?? STREAM_START;
    this.checkedAt = Date.now();
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.presenceArrived(channel, message));
    await this.sub.subscribe(this.channel);
    this.reading = this.read();
  }

  /** The reader is back after losing Redis: whatever was published meanwhile may be gone. */
  private reconnected(): void {
    this.mustCheck = true;
    this.resyncDue = true;
  }

  async publishUpdate(doc: string, seq: number, update: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('the document bus is closed');
    await this.pub.xadd(this.stream, 'MAXLEN', '~', this.maxLen, '*', ...updateFields(this.instanceId, doc, seq, update));
  }

  publishAwareness(doc: string, update: Uint8Array): void {
    if (this.closed) return;
    // Presence is renewed every few seconds: one lost while Redis is away is not worth a log line.
    this.pub.publish(this.channel, encodePresence(this.instanceId, doc, update)).catch(() => undefined);
  }

  onUpdate(fn: (m: RemoteDocUpdate) => void): () => void {
    this.updates.add(fn);
    return () => this.updates.delete(fn);
  }

  onAwareness(fn: (m: RemotePresence) => void): () => void {
    this.presence.add(fn);
    return () => this.presence.delete(fn);
  }

  onResync(fn: () => void): () => void {
    this.resyncs.add(fn);
    return () => this.resyncs.delete(fn);
  }

  async ping(): Promise<void> {
    await Promise.all([this.pub.ping(), this.sub.ping()]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of Object.values(this.conns)) c.close();
    await this.reading;
  }

  private async read(): Promise<void> {
    while (!this.closed) {
      try {
        if (this.mustCheck || Date.now() - this.checkedAt >= CHECK_MS) await this.checkPosition();
        const reply = await this.reader.xreadBuffer('COUNT', BATCH, 'BLOCK', this.blockMs, 'STREAMS', this.stream, this.lastId);
        const entries = entriesOf(reply);
        for (const [id, fields] of entries) {
          this.lastId = id;
          this.entryArrived(id, fields);
        }
        // Idle, or behind by a whole batch: the moments a trimmed stream would show.
        if (entries.length === 0 || entries.length >= BATCH) this.mustCheck = true;
      } catch (err) {
        if (this.closed) break;
        if (!/connection|stream isn't writeable|max retries/i.test((err as Error).message)) this.readFailed((err as Error).message);
        await sleep(RETRY_MS);
      }
    }
  }

  /**
   * Compares the reader's position with the stream: a stream that vanished or started over (Redis
   * restarted), or that trimmed entries after the position, lost news; the reader goes on from
   * what the stream still holds, and the store is read again.
   */
  private async checkPosition(): Promise<void> {
    const state = await this.state();
    this.checkedAt = Date.now();
    this.mustCheck = false;
    let lost = this.resyncDue;
    this.resyncDue = false;
    const at = this.lastId;
    if (!state) {
      lost ||= at !== STREAM_START;
      this.lastId = STREAM_START;
    } else if (compareIds(state.lastGenerated, at) < 0) {
      lost = true;
      this.lastId = state.lastGenerated;
    } else if (state.maxDeleted !== undefined) {
      if (compareIds(state.maxDeleted, at) > 0) {
        lost = true;
        this.lastId = state.maxDeleted;
      }
    } else if (state.firstId !== undefined && compareIds(state.firstId, at) > 0 && at !== STREAM_START) {
      lost = true;
      this.lastId = idBefore(state.firstId);
    }
    if (lost) {
      this.log.info(`cluster: document changes may have been missed on ${this.stream}: reading them from the store`);
      for (const fn of this.resyncs) callSafely(this.log, 'a resync listener', fn);
    }
  }

  private async state(): Promise<StreamState | undefined> {
    try {
      return streamState(await this.reader.xinfo('STREAM', this.stream));
    } catch (err) {
      if (/no such key/i.test((err as Error).message)) return undefined;
      throw err;
    }
  }

  private entryArrived(id: string, fields: unknown): void {
    const m = readUpdate(fields);
    if (typeof m === 'string') return this.skipped(`entry ${id}: ${m}`);
    if (m.from === this.instanceId) return;
    for (const fn of this.updates) callSafely(this.log, `applying a change of ${m.doc}`, () => fn(m));
  }

  private presenceArrived(channel: Buffer, message: Buffer): void {
    if (channel.toString() !== this.channel) return;
    const m = readPresence(message);
    if (typeof m === 'string') return this.skipped(`presence: ${m}`);
    if (m.from === this.instanceId) return;
    for (const fn of this.presence) callSafely(this.log, `presence of ${m.doc}`, () => fn(m));
  }
}

/** The entries of an XREAD reply for one stream, as [id, fields]; nothing for anything else. */
function entriesOf(reply: unknown): Array<[string, unknown]> {
  if (!Array.isArray(reply)) return [];
  const out: Array<[string, unknown]> = [];
  for (const stream of reply) {
    const items: unknown = Array.isArray(stream) ? stream[1] : undefined;
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      if (!Array.isArray(item) || !Buffer.isBuffer(item[0])) continue;
      out.push([item[0].toString('latin1'), item[1]]);
    }
  }
  return out;
}
