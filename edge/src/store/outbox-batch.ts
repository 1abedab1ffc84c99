import type { SiteEvent } from '@cr/shared';

/**
 * A run of consecutive outbox rows, kept as the JSON text they were stored as: the upload message
 * is assembled from that text, so a batch of a thousand events costs no parse and no re-serialise.
 * The id names the exact row range, which never changes (rows are only deleted oldest first and
 * seq values are never reused), so an acknowledgement of that id always means these events.
 */
export class OutboxBatch {
  readonly batchId: string;

  constructor(
    readonly firstSeq: number,
    readonly lastSeq: number,
    private readonly bodies: string[],
  ) {
    this.batchId = `b${firstSeq}-${lastSeq}`;
  }

  get size(): number {
    return this.bodies.length;
  }

  /** The `events` message of the edge link (shared/src/protocol/edge-link.ts) carrying this batch. */
  message(): string {
    return `{"type":"events","batchId":"${this.batchId}","events":[${this.bodies.join(',')}]}`;
  }

  /** The events, parsed (diagnostics and tests; uploads use `message()`). */
  get events(): SiteEvent[] {
    return this.bodies.map((b) => JSON.parse(b) as SiteEvent);
  }
}
