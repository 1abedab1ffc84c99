import { siteEventSchema, type SiteEvent } from '@cr/shared';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { defaultCloudLog, type CloudLog } from '../log';
import type { StoredBatch } from '../store/events-store';
import { EventConsumer, type EventBatchHandler } from './event-consumer';
import { ensureEventConsumer, ensureEventStream, type EventStreamLimits } from './event-stream-config';
import { assertSubjectPrefix, eventMessageId, eventSubject } from './event-subjects';

export type { EventBatchHandler } from './event-consumer';

export interface EventStreamOptions {
  /** the JetStream stream, e.g. `CR_EVENTS`; the same on every instance */
  stream: string;
  /** subjects are `<prefix>.<tenant>.<site>`; the stream name unless given */
  subjectPrefix?: string;
  log?: CloudLog;
  /** how long a re-sent event (same tenant, site and id) is recognised by the stream: 2 minutes */
  duplicateWindowMs?: number;
  /** how long an event waits in the stream for the store at most: 7 days */
  maxAgeMs?: number;
  /** how long a delivered event may go without an ack before another instance gets it: 30 s */
  ackWaitMs?: number;
  /** events delivered and not yet acknowledged, over all instances: 4000 */
  maxAckPending?: number;
  /** events taken in one pull: 500 */
  batchSize?: number;
  /** copies of the stream in a NATS cluster (3 there, so a lost server loses nothing): 1 */
  replicas?: number;
  /** the durable consumer every instance shares */
  durable?: string;
  /** how long a publish or a stream request waits for the server: 5 s */
  requestTimeoutMs?: number;
}

/** Uploaded event batches between the instance holding an edge's link and the store. */
export interface EventStream {
  /**
   * Puts every event of a batch into the stream, each under its own message id so that a batch
   * sent again is recognised; resolves once the server has all of them (only then may the edge be
   * told to drop them), rejects if any is missing (the edge sends the batch again).
   */
  publish(tenantId: string, siteId: string, events: SiteEvent[]): Promise<StoredBatch>;
  /** Starts storing the stream's events with `handler`, sharing the work with every other instance. */
  consume(handler: EventBatchHandler): void;
  /** Rejects when the stream does not answer. */
  ping(): Promise<void>;
  /** Stops consuming (the batch being stored is finished and acknowledged) and disconnects. */
  close(): Promise<void>;
}

const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Where a NATS URL points, never its credentials. */
function whereOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(not a URL)';
  }
}

/** Connects to NATS at `url` (nats://host:4222), creates or updates the event stream and its consumer. */
export async function openEventStream(url: string, opts: EventStreamOptions): Promise<EventStream> {
  if (!STREAM_NAME.test(opts.stream)) throw new Error(`event stream: stream name ${JSON.stringify(opts.stream)} is not valid`);
  const prefix = opts.subjectPrefix ?? opts.stream;
  assertSubjectPrefix(prefix);
  const log = opts.log ?? defaultCloudLog();
  const timeout = opts.requestTimeoutMs ?? 5_000;
  const limits: EventStreamLimits = {
    stream: opts.stream,
    subjectPrefix: prefix,
    durable: opts.durable ?? 'event-writer',
    duplicateWindowMs: opts.duplicateWindowMs ?? 120_000,
    maxAgeMs: opts.maxAgeMs ?? 7 * 86_400_000,
    ackWaitMs: opts.ackWaitMs ?? 30_000,
    maxAckPending: opts.maxAckPending ?? 4_000,
    replicas: opts.replicas ?? 1,
  };
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: url,
      name: 'cr-cloud',
      timeout,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      pingInterval: 10_000,
    });
  } catch (err) {
    throw new Error(`event stream: NATS at ${whereOf(url)} does not answer (${(err as Error).message})`, { cause: err });
  }
  try {
    const jsm = await jetstreamManager(nc, { timeout });
    await ensureEventStream(jsm, limits, log);
    await ensureEventConsumer(jsm, limits);
    return new NatsEventStream(nc, jsm, limits, opts.batchSize ?? 500, timeout, log);
  } catch (err) {
    await nc.close();
    throw new Error(`event stream: stream ${opts.stream} at ${whereOf(url)} not ready (${(err as Error).message})`, {
      cause: err,
    });
  }
}

class NatsEventStream implements EventStream {
  private readonly js: JetStreamClient;
  private consumer: EventConsumer | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly l: EventStreamLimits,
    private readonly batchSize: number,
    private readonly timeout: number,
    private readonly log: CloudLog,
  ) {
    this.js = jetstream(nc, { timeout });
    void this.watch();
  }

  async publish(tenantId: string, siteId: string, events: SiteEvent[]): Promise<StoredBatch> {
    const subject = eventSubject(this.l.subjectPrefix, tenantId, siteId);
    // What the consumer would refuse must not be acknowledged to the edge as stored.
    for (const e of events)
      if (!siteEventSchema.safeParse(e).success) throw new Error(`event stream: event ${String(e.id)} is not a site event`);
    const acks = await Promise.allSettled(
      events.map((e) =>
        this.js.publish(subject, JSON.stringify(e), {
          msgID: eventMessageId(tenantId, siteId, e.id),
          expect: { streamName: this.l.stream },
          timeout: this.timeout,
        }),
      ),
    );
    const failed = acks.filter((a) => a.status === 'rejected');
    if (failed.length > 0)
      throw new Error(
        `event stream: ${failed.length} of ${events.length} events of ${tenantId}/${siteId} not stored (${(failed[0]!.reason as Error).message})`,
      );
    const duplicates = acks.filter((a) => a.status === 'fulfilled' && a.value.duplicate).length;
    return { stored: events.length - duplicates, duplicates };
  }

  consume(handler: EventBatchHandler): void {
    if (this.consumer) throw new Error('event stream: already consuming');
    if (this.closing) throw new Error('event stream: closed');
    this.consumer = new EventConsumer(
      {
        consumer: async () => {
          // The server may have lost the stream (a new server, a deleted store): it is made again.
          await ensureEventStream(this.jsm, this.l, this.log);
          await ensureEventConsumer(this.jsm, this.l);
          return this.js.consumers.get(this.l.stream, this.l.durable);
        },
        subjectPrefix: this.l.subjectPrefix,
        batchSize: this.batchSize,
        ackWaitMs: this.l.ackWaitMs,
        log: this.log,
      },
      handler,
    );
  }

  async ping(): Promise<void> {
    if (this.nc.isClosed()) throw new Error('event stream: closed');
    await this.jsm.streams.info(this.l.stream);
  }

  close(): Promise<void> {
    return (this.closing ??= (async () => {
      await this.consumer?.stop();
      // Acks and naks still buffered reach the server; a server gone for good is not waited for.
      const drained = this.nc.drain().catch(() => undefined);
      const timer = setTimeout(() => void this.nc.close(), this.timeout);
      await drained;
      clearTimeout(timer);
      await this.nc.close();
    })());
  }

  /** One line when the connection to NATS drops and one when it is back. */
  private async watch(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect') this.log.warn(`event stream: disconnected from NATS at ${s.server}`);
      else if (s.type === 'reconnect') this.log.info(`event stream: reconnected to NATS at ${s.server}`);
    }
  }
}
