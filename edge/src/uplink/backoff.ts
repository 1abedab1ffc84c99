/**
 * Reconnect delays: exponential with full jitter, so 200 edges coming back after a cloud outage
 * do not reconnect in lock-step.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.attempt, 20));
    this.attempt++;
    return Math.round(this.minMs / 2 + this.random() * Math.max(0, ceiling - this.minMs / 2));
  }

  reset(): void {
    this.attempt = 0;
  }
}
