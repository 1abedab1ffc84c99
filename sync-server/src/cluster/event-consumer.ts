import { siteEventSchema, type SiteEvent } from '@cr/shared';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { CloudLog } from '../log';
import { siteOfSubject } from './event-subjects';

/** Stores one site's events; resolves once they are durable (then the stream forgets them). */
export type EventBatchHandler = (tenantId: string, siteId: string, events: SiteEvent[]) => Promise<void>;

export interface EventConsumerOptions {
  /** the shared durable consumer, created or checked again after a failure */
  consumer: () => Promise<Consumer>;
  subjectPrefix: string;
  /** most messages taken in one pull */
  batchSize: number;
  /** how long the server waits for an ack before it delivers a message again */
  ackWaitMs: number;
  log: CloudLog;
}

/** How long one pull waits for messages before the next (the least the server accepts is 1 s). */
const PULL_EXPIRES_MS = 2_000;
/** Sites whose events are stored at the same time. */
const SITES_AT_ONCE = 4;
/** After a failed pull (stream unreachable), the wait grows to this. */
const MAX_RETRY_MS = 5_000;
/** A batch that could not be stored is delivered again after 1 s, 2 s, 4 s … at most this. */
const MAX_REDELIVERY_MS = 30_000;
/** At most one line per this long about batches not stored (the store being down says it once). */
const FAILURE_LOG_MS = 5_000;

interface SiteGroup {
  tenantId: string;
  siteId: string;
  messages: JsMsg[];
  events: SiteEvent[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Takes event messages off the stream in pulls of up to `batchSize`, hands each site's events to
 * the handler and acknowledges them only once it resolved. A batch the handler could not store is
 * delivered again later; a message that is no event is dropped from the stream with one log line.
 */
export class EventConsumer {
  private stopping = false;
  private pull: ConsumerMessages | undefined;
  private wake: (() => void) | undefined;
  private readonly running: Promise<void>;
  private lastFailureLog = 0;
  private failuresUnlogged = 0;

  constructor(
    private readonly o: EventConsumerOptions,
    private readonly handler: EventBatchHandler,
  ) {
    this.running = this.run();
  }

  /** Stops pulling and resolves once the batch being stored is stored and acknowledged (or handed back). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    // The pull ends once the iterator reaches the stop (after the batch being stored).
    void this.pull?.close().catch(() => undefined);
    await this.running;
  }

  private async run(): Promise<void> {
    let consumer: Consumer | undefined;
    let failures = 0;
    while (!this.stopping) {
      try {
        consumer ??= await this.o.consumer();
        await this.drain(await consumer.fetch({ max_messages: this.o.batchSize, expires: PULL_EXPIRES_MS }));
        failures = 0;
      } catch (err) {
        if (this.stopping) break;
        consumer = undefined;
        failures++;
        if (failures === 1 || failures % 20 === 0)
          this.o.log.warn(`event stream: pulling events failed (${(err as Error).message}); retrying`);
        await this.pause(Math.min(250 * 2 ** (failures - 1), MAX_RETRY_MS));
      }
    }
  }

  /** One pull: what arrived together is stored together, so a busy stream is stored in large batches. */
  private async drain(pull: ConsumerMessages): Promise<void> {
    this.pull = pull;
    if (this.stopping) void pull.close().catch(() => undefined);
    try {
      const batch: JsMsg[] = [];
      for await (const m of pull) {
        // Stopping: whatever is still buffered goes back to the stream for another instance.
        if (this.stopping) {
          m.nak();
          continue;
        }
        batch.push(m);
        if (batch.length >= this.o.batchSize || pull.getPending() === 0) await this.store(batch.splice(0));
      }
      if (batch.length > 0) await this.store(batch);
    } finally {
      this.pull = undefined;
    }
  }

  private async store(messages: JsMsg[]): Promise<void> {
    const groups = new Map<string, SiteGroup>();
    for (const m of messages) {
      const read = this.read(m);
      if (!read) continue;
      const key = `${read.tenantId}\u0000${read.siteId}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { tenantId: read.tenantId, siteId: read.siteId, messages: [], events: [] }));
      g.messages.push(m);
      g.events.push(read.event);
    }
    const queue = [...groups.values()];
    const worker = async (): Promise<void> => {
      for (let g = queue.shift(); g; g = queue.shift()) await this.storeSite(g);
    };
    await Promise.all(Array.from({ length: Math.min(SITES_AT_ONCE, queue.length) }, worker));
  }

  /** The event a message carries, or undefined (the message is then terminated, never delivered again). */
  private read(m: JsMsg): { tenantId: string; siteId: string; event: SiteEvent } | undefined {
    const drop = (why: string): undefined => {
      this.o.log.warn({ subject: m.subject, seq: m.seq }, `event stream: message dropped, ${why}`);
      m.term();
      return undefined;
    };
    const site = siteOfSubject(this.o.subjectPrefix, m.subject);
    if (!site) return drop('its subject names no tenant and site');
    let json: unknown;
    try {
      json = JSON.parse(utf8.decode(m.data));
    } catch {
      return drop('it is not JSON');
    }
    const parsed = siteEventSchema.safeParse(json);
    if (!parsed.success) return drop('it is not a site event');
    return { ...site, event: parsed.data };
  }

  private async storeSite(g: SiteGroup): Promise<void> {
    // A slow store (a long transaction, a failover) must not make the server deliver these again meanwhile.
    const keepAlive = setInterval(() => g.messages.forEach((m) => m.working()), Math.max(500, this.o.ackWaitMs / 3));
    keepAlive.unref();
    try {
      await this.handler(g.tenantId, g.siteId, g.events);
    } catch (err) {
      for (const m of g.messages) m.nak(Math.min(1_000 * 2 ** (m.info.deliveryCount - 1), MAX_REDELIVERY_MS));
      this.failed(g, err as Error);
      return;
    } finally {
      clearInterval(keepAlive);
    }
    const acks = await Promise.allSettled(g.messages.map((m) => m.ackAck()));
    const unconfirmed = acks.filter((a) => a.status === 'rejected' || !a.value).length;
    // Stored but the ack may be lost: the events come again and the store keeps them once.
    if (unconfirmed > 0)
      this.o.log.warn(`event stream: ${unconfirmed} acknowledgements of ${g.tenantId}/${g.siteId} not confirmed`);
  }

  private failed(g: SiteGroup, err: Error): void {
    this.failuresUnlogged++;
    const now = Date.now();
    if (now - this.lastFailureLog < FAILURE_LOG_MS) return;
    this.o.log.error(
      `event stream: ${this.failuresUnlogged} batch(es) not stored, delivered again later (last: ${g.events.length} events of ${g.tenantId}/${g.siteId}: ${err.message})`,
    );
    this.lastFailureLog = now;
    this.failuresUnlogged = 0;
  }

  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }
}
