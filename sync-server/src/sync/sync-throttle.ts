/** How much one signed-in user may send over all their sync sockets together. */
export interface SyncLimits {
  /** sustained bytes per second of sync frames */
  bytesPerSecond: number;
  /** bytes that may arrive at once before the user is slowed down (at least one largest message) */
  burstBytes: number;
  /** sustained sync frames per second */
  messagesPerSecond: number;
  /** frames that may arrive at once before the user is slowed down */
  burstMessages: number;
  /** bytes one socket may have waiting for its user's budget before the socket is paused */
  maxQueuedBytes: number;
  /** sync sockets one user may hold open at once */
  maxSockets: number;
}

/**
 * Generous for a console (a reconnect's full sync step is at most one 1 MiB message; typing notes
 * is a few hundred bytes a second), small enough that one user's script cannot take the loop.
 */
export const DEFAULT_SYNC_LIMITS: SyncLimits = {
  bytesPerSecond: 512 * 1024,
  burstBytes: 2 * 1024 * 1024,
  messagesPerSecond: 200,
  burstMessages: 500,
  maxQueuedBytes: 4 * 1024 * 1024,
  maxSockets: 64,
};

/** A token bucket: `capacity` at most, refilled at `ratePerSecond`. */
class Bucket {
  private level: number;
  private at: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    now: number,
  ) {
    this.level = capacity;
    this.at = now;
  }

  private refill(now: number): void {
    this.level = Math.min(this.capacity, this.level + ((now - this.at) / 1000) * this.ratePerSecond);
    this.at = now;
  }

  /** Milliseconds until `n` may be taken (0 = now). A take larger than the capacity waits for a full bucket. */
  waitFor(n: number, now: number): number {
    this.refill(now);
    const need = Math.min(n, this.capacity);
    return this.level >= need ? 0 : Math.ceil(((need - this.level) / this.ratePerSecond) * 1000);
  }

  take(n: number): void {
    this.level -= n;
  }

  full(now: number): boolean {
    this.refill(now);
    return this.level >= this.capacity;
  }
}

/**
 * One user's budget of sync bytes and messages, shared by every socket they hold. Threat: one
 * console (or a script with a console's token) flooding the sync server so that other people's
 * changes, and the edge's fire alert, wait behind it. The control room sits behind one NAT, so the
 * budget is per user, never per address.
 */
export class SyncBudget {
  private readonly bytes: Bucket;
  private readonly messages: Bucket;

  constructor(
    readonly limits: SyncLimits,
    now = Date.now(),
  ) {
    this.bytes = new Bucket(limits.bytesPerSecond, limits.burstBytes, now);
    this.messages = new Bucket(limits.messagesPerSecond, limits.burstMessages, now);
  }

  /** Takes one frame of `size` bytes if the budget allows it now; else says how long to wait. */
  tryTake(size: number, now = Date.now()): number {
    const wait = Math.max(this.bytes.waitFor(size, now), this.messages.waitFor(1, now));
    if (wait > 0) return wait;
    this.bytes.take(size);
    this.messages.take(1);
    return 0;
  }

  /** True when nothing was spent recently: forgetting it changes nothing. */
  idle(now = Date.now()): boolean {
    return this.bytes.full(now) && this.messages.full(now);
  }
}

/** What a throttled socket needs from its transport. */
export interface InboxSocket {
  pause(): void;
  resume(): void;
}

/**
 * The frames of one socket, handed on in order as its user's budget allows. Frames of a user within
 * budget pass at once; beyond it they wait here (other users' frames do not), and once too many
 * bytes wait the socket is paused so TCP pushes back on the sender instead of our memory growing.
 */
export class ThrottledInbox {
  private readonly queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  private closed = false;

  constructor(
    private readonly budget: SyncBudget | undefined,
    private readonly socket: InboxSocket,
    private readonly deliver: (frame: Uint8Array) => void,
  ) {}

  push(frame: Uint8Array): void {
    if (this.closed) return;
    if (!this.budget) return this.deliver(frame);
    this.queue.push(frame);
    this.queuedBytes += frame.byteLength;
    if (!this.timer) this.drain();
    if (!this.paused && this.queuedBytes > this.budget.limits.maxQueuedBytes) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private drain(): void {
    this.timer = undefined;
    while (this.queue.length > 0 && !this.closed) {
      const frame = this.queue[0]!;
      const wait = this.budget!.tryTake(frame.byteLength);
      if (wait > 0) {
        this.timer = setTimeout(() => this.drain(), Math.min(wait, 1000));
        break;
      }
      this.queue.shift();
      this.queuedBytes -= frame.byteLength;
      this.deliver(frame);
    }
    if (this.paused && this.queuedBytes <= this.budget!.limits.maxQueuedBytes / 2) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** Drops what still waits (the socket closed). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.queue.length = 0;
    this.queuedBytes = 0;
  }
}
