import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { CloudLog } from '../log';

export interface EventStreamLimits {
  stream: string;
  subjectPrefix: string;
  durable: string;
  duplicateWindowMs: number;
  maxAgeMs: number;
  ackWaitMs: number;
  maxAckPending: number;
  replicas: number;
}

const notFound = (err: unknown, code: number): boolean => err instanceof JetStreamApiError && err.code === code;

/**
 * The stream of uploaded events: on disk, kept until the store has them (work queue: an event
 * acknowledged by the consumer is removed), at most `maxAgeMs`. Created when missing; an existing
 * one gets these subjects and limits (its retention and storage cannot change and are kept).
 */
export async function ensureEventStream(jsm: JetStreamManager, l: EventStreamLimits, log: CloudLog): Promise<void> {
  const wanted: Partial<StreamConfig> = {
    subjects: [`${l.subjectPrefix}.>`],
    duplicate_window: nanos(l.duplicateWindowMs),
    max_age: nanos(l.maxAgeMs),
    num_replicas: l.replicas,
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const info = await jsm.streams.info(l.stream);
      const c = info.config;
      if (c.retention !== RetentionPolicy.Workqueue || c.storage !== StorageType.File)
        log.warn(`event stream: stream ${l.stream} has ${c.retention} retention on ${c.storage} storage (kept as it is)`);
      const same =
        c.subjects?.length === 1 &&
        c.subjects[0] === wanted.subjects![0] &&
        c.duplicate_window === wanted.duplicate_window &&
        c.max_age === wanted.max_age &&
        c.num_replicas === wanted.num_replicas;
      if (!same) await jsm.streams.update(l.stream, wanted);
      return;
    } catch (err) {
      if (!notFound(err, JetStreamApiCodes.StreamNotFound) || attempt > 0) throw err;
    }
    try {
      await jsm.streams.add({
        name: l.stream,
        ...wanted,
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
      });
      return;
    } catch {
      // Another instance created it at the same moment, differently: look again and update.
    }
  }
}

/**
 * The one durable consumer every instance pulls from, so that each event goes to one of them:
 * explicit acks, redelivered after `ackWaitMs` without one, never given up on (an event is only
 * dropped by the stream's age limit), at most `maxAckPending` events out at once.
 */
export async function ensureEventConsumer(jsm: JetStreamManager, l: EventStreamLimits): Promise<void> {
  const limits = { ack_wait: nanos(l.ackWaitMs), max_ack_pending: l.maxAckPending, max_deliver: -1 };
  try {
    const info = await jsm.consumers.info(l.stream, l.durable);
    const c = info.config;
    if (c.ack_wait !== limits.ack_wait || c.max_ack_pending !== limits.max_ack_pending)
      await jsm.consumers.update(l.stream, l.durable, limits);
    return;
  } catch (err) {
    if (!notFound(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
  }
  try {
    await jsm.consumers.add(l.stream, {
      durable_name: l.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ...limits,
    });
  } catch (err) {
    // Created by another instance meanwhile: that one is the same consumer.
    await jsm.consumers.info(l.stream, l.durable).catch(() => Promise.reject(err as Error));
  }
}
