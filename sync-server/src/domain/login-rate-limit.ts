/**
 * Failed-login limiter keyed by e-mail, not by IP: a control room sits behind one NAT, and the
 * threat is password guessing against one account. After `maxFailures` within `windowMs` the
 * account refuses logins until the window has passed; a success clears the count.
 */
export class LoginRateLimit {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 5 * 60_000,
  ) {}

  /** Milliseconds until the next attempt is allowed, 0 when allowed now. */
  retryAfter(email: string, now = Date.now()): number {
    const recent = this.recent(email, now);
    if (recent.length < this.maxFailures) return 0;
    return recent[0]! + this.windowMs - now;
  }

  fail(email: string, now = Date.now()): void {
    const recent = this.recent(email, now);
    recent.push(now);
    this.failures.set(email.toLowerCase(), recent);
    // Threat: memory exhaustion by failures for millions of invented e-mails.
    if (this.failures.size > 100_000) this.sweep(now);
  }

  succeed(email: string): void {
    this.failures.delete(email.toLowerCase());
  }

  private recent(email: string, now: number): number[] {
    return (this.failures.get(email.toLowerCase()) ?? []).filter((t) => now - t < this.windowMs);
  }

  private sweep(now: number): void {
    for (const [k, v] of this.failures) if (v.every((t) => now - t >= this.windowMs)) this.failures.delete(k);
  }
}
