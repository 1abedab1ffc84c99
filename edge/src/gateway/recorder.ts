import { randomUUID } from 'node:crypto';
import type { SiteEvent } from '@cr/shared';
import type { AppendResult, EventOrigin, Outbox } from '../store/outbox';
import type { EdgeMetrics } from '../metrics';
import type { BurstLog } from '../log';

/** The outbox could not commit an event: its sender must not be told it was received. */
export class NotStoredError extends Error {}

/**
 * Appends events to the outbox before anything else happens to them, and tells the uplink. Each
 * call resolves once the event's transaction committed (group commit), or once it is held in memory
 * because the disk refused it; it never rejects.
 */
export class EventRecorder {
  constructor(
    private readonly outbox: Outbox,
    private readonly metrics: EdgeMetrics,
    private readonly burst: BurstLog,
    private readonly onStored: () => void,
  ) {}

  /**
   * A device's own event (its id is used end to end). An id seen within the replay window — also
   * before a restart, also after the first copy was uploaded — is a `duplicate`: not stored.
   */
  device(event: SiteEvent): Promise<AppendResult> {
    return this.append(event, 'device');
  }

  /** Whether a device event id was accepted before (held or stored). */
  seen(deviceEventId: string): boolean {
    return this.outbox.seen(deviceEventId);
  }

  /** An event the edge itself produces (decisions, commands, mode changes, availability). */
  edge(type: string, deviceId: string | undefined, data: Record<string, unknown> | undefined, ts = Date.now()): Promise<AppendResult> {
    return this.append({ id: randomUUID(), type, ts, deviceId, data });
  }

  /**
   * An event the edge produces under an id of its own choosing (a booking fact's id follows from
   * the booking and the fact, so a second recording of it is one event in the cloud).
   */
  withId(event: SiteEvent): Promise<AppendResult> {
    return this.append(event);
  }

  private async append(event: SiteEvent, origin: EventOrigin = 'edge'): Promise<AppendResult> {
    const result = await this.outbox.append(event, origin);
    if (result === 'full') {
      this.metrics.outboxRefused.inc();
      this.burst.warn('outbox-full', `outbox full (${this.outbox.capacity} events): event ${event.type} refused; upload is behind`);
    } else if (result === 'failed') {
      this.metrics.outboxFailed.inc();
      this.burst.warn('outbox-failed', `outbox commit failed and memory is full: event ${event.type} lost`);
    } else if (result === 'held') {
      this.metrics.outboxHeld.inc();
    } else if (result === 'stored') {
      this.onStored();
    }
    return result;
  }
}
