import type { EdgeToCloud } from '@cr/shared';
import type { Outbox, OutboxBatch } from '../store/outbox';

/**
 * Uploads the outbox in order, one batch in flight at a time: the next batch leaves only after
 * the cloud acknowledged the previous one (then its rows are deleted). A batch that is not
 * acknowledged in time is sent again with the same id; the cloud stores each event id once.
 */
export class Uploader {
  private inFlight?: OutboxBatch;
  private ackTimer?: NodeJS.Timeout;
  private send?: (msg: EdgeToCloud) => boolean;
  private scheduled = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly batchSize: number,
    private readonly ackTimeoutMs: number,
    private readonly onUploaded: (count: number) => void,
  ) {}

  /** The link is up: start uploading through `send`. */
  attach(send: (msg: EdgeToCloud) => boolean): void {
    this.send = send;
    this.inFlight = undefined;
    this.kick();
  }

  detach(): void {
    this.send = undefined;
    this.inFlight = undefined;
    if (this.ackTimer) clearTimeout(this.ackTimer);
  }

  /** Something was appended: upload soon (coalesced, so a burst of appends sends one batch). */
  kick(): void {
    if (this.scheduled || !this.send || this.inFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.sendNext();
    });
  }

  private sendNext(): void {
    if (!this.send || this.inFlight) return;
    const batch = this.outbox.nextBatch(this.batchSize);
    if (!batch) return;
    this.transmit(batch);
  }

  private transmit(batch: OutboxBatch): void {
    if (!this.send) return;
    this.inFlight = batch;
    this.send({ type: 'events', batchId: batch.batchId, events: batch.events });
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = setTimeout(() => {
      if (this.inFlight === batch) this.transmit(batch);
    }, this.ackTimeoutMs);
    this.ackTimer.unref();
  }

  /** `events.ack`: delete the batch, then send the next one. */
  onAck(batchId: string): void {
    const batch = this.inFlight;
    if (!batch || batch.batchId !== batchId) return;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.inFlight = undefined;
    this.outbox.acknowledge(batch.lastSeq);
    this.onUploaded(batch.events.length);
    this.sendNext();
  }

  get pending(): boolean {
    return this.inFlight !== undefined;
  }
}
