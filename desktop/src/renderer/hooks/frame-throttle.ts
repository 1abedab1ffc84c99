/** Timers the throttle needs; injectable so the schedule is testable without a browser. */
export interface FrameClock {
  now(): number;
  frame(cb: () => void): number;
  cancelFrame(id: number): void;
  timeout(cb: () => void, ms: number): number;
  cancelTimeout(id: number): void;
}

export const browserClock: FrameClock = {
  now: () => performance.now(),
  frame: (cb) => requestAnimationFrame(cb),
  cancelFrame: (id) => cancelAnimationFrame(id),
  timeout: (cb, ms) => window.setTimeout(cb, ms),
  cancelTimeout: (id) => window.clearTimeout(id),
};

/**
 * Hands the latest of a stream of values to `emit` at most once per `minIntervalMs`, always at an
 * animation frame. A value after a quiet spell goes out at the next frame; a burst collapses into
 * one value per interval, and the last value of a burst is never lost.
 */
export class FrameThrottle<T> {
  private latest: { value: T } | undefined;
  private lastEmit = -Infinity;
  private frameId: number | undefined;
  private timerId: number | undefined;

  constructor(
    private readonly emit: (value: T) => void,
    private readonly minIntervalMs: number,
    private readonly clock: FrameClock = browserClock,
  ) {}

  push(value: T): void {
    this.latest = { value };
    if (this.frameId !== undefined || this.timerId !== undefined) return;
    const wait = this.lastEmit + this.minIntervalMs - this.clock.now();
    if (wait <= 0) this.frameId = this.clock.frame(this.flush);
    else
      this.timerId = this.clock.timeout(() => {
        this.timerId = undefined;
        this.frameId = this.clock.frame(this.flush);
      }, wait);
  }

  private readonly flush = (): void => {
    this.frameId = undefined;
    if (!this.latest) return;
    const { value } = this.latest;
    this.latest = undefined;
    this.lastEmit = this.clock.now();
    this.emit(value);
  };

  cancel(): void {
    if (this.frameId !== undefined) this.clock.cancelFrame(this.frameId);
    if (this.timerId !== undefined) this.clock.cancelTimeout(this.timerId);
    this.frameId = this.timerId = undefined;
    this.latest = undefined;
  }
}
