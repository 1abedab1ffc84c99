/** Timer functions, injectable so tests drive time themselves. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Longest single wait: a clock that jumps (NTP, a suspended VM) is noticed within this, and a due
 * time is never missed by more.
 */
export const MAX_WAIT_MS = 60_000;

/** One timer for the next moment something is due, rescheduled whenever that moment changes. */
export class NextDue {
  private handle: unknown;
  private at: number | undefined;
  private closed = false;

  constructor(
    private readonly run: () => void,
    private readonly now: () => number,
    private readonly timers: Timers = realTimers,
  ) {}

  /** When `run` is due next; undefined: nothing is. */
  schedule(at: number | undefined): void {
    if (this.closed || (at === this.at && this.handle !== undefined)) return;
    this.cancel();
    this.at = at;
    if (at === undefined) return;
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, at - this.now()));
    this.handle = this.timers.set(() => {
      this.handle = undefined;
      this.at = undefined;
      this.run();
    }, wait);
  }

  close(): void {
    this.closed = true;
    this.cancel();
  }

  private cancel(): void {
    if (this.handle !== undefined) this.timers.clear(this.handle);
    this.handle = undefined;
    this.at = undefined;
  }
}
