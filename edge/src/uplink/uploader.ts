import type { Outbox, OutboxBatch } from '../store/outbox';

export interface UploadOptions {
  /** most events per batch (the protocol allows 1000) */
  batchSize: number;
  /** batches sent ahead of their acknowledgements */
  window: number;
  /** an unacknowledged batch is sent again (same id) after this long */
  ackTimeoutMs: number;
}

interface Flight {
  batch: OutboxBatch;
  sentAt: number;
  acked: boolean;
}

/**
 * Uploads the outbox in order with up to `window` batches in flight on the link, so the edge reads
 * and sends the next batches while the cloud stores the previous ones. Batches leave in sequence
 * order; rows are deleted only for the acknowledged prefix (an acknowledgement that arrives ahead of
 * an earlier batch's waits for it), so the outbox always holds exactly what the cloud may not have.
 * A batch not acknowledged in time is sent again with the same id; the cloud stores each event id
 * once, so re-sending after a timeout or a reconnect never duplicates an event.
 */
export class Uploader {
  private flights: Flight[] = [];
  /** highest outbox seq sent on this connection */
  private sentUpTo = 0;
  private ackTimer?: NodeJS.Timeout;
  private send?: (message: string) => boolean;
  private scheduled = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly opts: UploadOptions,
    private readonly onUploaded: (count: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The link is up: upload everything still in the outbox through `send`. */
  attach(send: (message: string) => boolean): void {
    this.send = send;
    this.reset();
    this.kick();
  }

  detach(): void {
    this.send = undefined;
    this.reset();
  }

  private reset(): void {
    this.flights = [];
    // What the cloud acknowledged is not sent again, even while its deletion is still to commit.
    this.sentUpTo = this.outbox.acknowledgedUpTo;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
  }

  /** Something was appended: upload soon (coalesced, so a burst of appends sends one batch). */
  kick(): void {
    if (this.scheduled || !this.send || this.flights.length >= this.opts.window) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.fill();
    });
  }

  private fill(): void {
    while (this.send && this.flights.length < this.opts.window) {
      const batch = this.outbox.nextBatch(this.opts.batchSize, this.sentUpTo);
      if (!batch) return;
      this.sentUpTo = batch.lastSeq;
      const flight = { batch, sentAt: 0, acked: false };
      this.flights.push(flight);
      this.transmit(flight);
    }
  }

  private transmit(flight: Flight): void {
    flight.sentAt = this.now();
    this.send?.(flight.batch.message());
    this.ackTimer ??= this.armTimer(this.opts.ackTimeoutMs);
  }

  private armTimer(ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.onTimeout(), ms);
    timer.unref();
    return timer;
  }

  /** The oldest unacknowledged batch waited too long: send every unacknowledged batch again, in order. */
  private onTimeout(): void {
    this.ackTimer = undefined;
    const waiting = this.flights.filter((f) => !f.acked);
    if (waiting.length === 0 || !this.send) return;
    const due = waiting[0]!.sentAt + this.opts.ackTimeoutMs - this.now();
    if (due > 0) {
      this.ackTimer = this.armTimer(due);
      return;
    }
    for (const f of waiting) this.transmit(f);
  }

  /** `events.ack`: release the acknowledged prefix of the window, delete it, send more. */
  onAck(batchId: string): void {
    const flight = this.flights.find((f) => f.batch.batchId === batchId);
    if (!flight) return;
    flight.acked = true;
    let released: OutboxBatch | undefined;
    let count = 0;
    while (this.flights[0]?.acked) {
      released = this.flights.shift()!.batch;
      count += released.size;
    }
    if (this.flights.length === 0 && this.ackTimer) {
      clearTimeout(this.ackTimer);
      this.ackTimer = undefined;
    }
    if (released) {
      this.onUploaded(count);
      void this.outbox.acknowledge(released.lastSeq, count);
    }
    this.fill();
  }

  /** Batches sent and not yet released. */
  get pending(): boolean {
    return this.flights.length > 0;
  }
}
