import { randomUUID } from 'node:crypto';
import type { SiteEvent } from '@cr/shared';
import type { AppendResult, Outbox } from '../store/outbox';
import type { EdgeMetrics } from '../metrics';
import type { BurstLog } from '../log';

/** Remembers recently seen device event ids: a replayed event is neither stored nor acted on twice. */
class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly max: number) {}

  /** True when the id was new. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}

/** The outbox could not commit an event: its sender must not be told it was received. */
export class NotStoredError extends Error {}

/**
 * Appends events to the outbox before anything else happens to them, and tells the uplink. Each
 * call resolves once the event's transaction committed (group commit); it never rejects.
 */
export class EventRecorder {
  private readonly recent = new RecentIds(100_000);

  constructor(
    private readonly outbox: Outbox,
    private readonly metrics: EdgeMetrics,
    private readonly burst: BurstLog,
    private readonly onStored: () => void,
  ) {}

  /** A device's own event (its id is used end to end); duplicates are reported, not stored. */
  device(event: SiteEvent): Promise<AppendResult> {
    if (!this.recent.add(event.id)) return Promise.resolve('duplicate');
    return this.append(event);
  }

  /** An event the edge itself produces (decisions, commands, mode changes, availability). */
  edge(type: string, deviceId: string | undefined, data: Record<string, unknown> | undefined, ts = Date.now()): Promise<AppendResult> {
    return this.append({ id: randomUUID(), type, ts, deviceId, data });
  }

  private async append(event: SiteEvent): Promise<AppendResult> {
    const result = await this.outbox.append(event);
    if (result === 'full') {
      this.metrics.outboxRefused.inc();
      this.burst.warn('outbox-full', `outbox full (${this.outbox.capacity} events): event ${event.type} refused; upload is behind`);
    } else if (result === 'failed') {
      this.metrics.outboxFailed.inc();
      this.burst.warn('outbox-failed', `outbox commit failed: event ${event.type} not stored`);
    } else if (result === 'stored') {
      this.onStored();
    }
    return result;
  }
}
