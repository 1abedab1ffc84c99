/** When an endpoint counts as down, and for how long it is left alone. */
export interface BreakerPolicy {
  /** consecutive failed attempts after which the endpoint is skipped */
  failureThreshold: number;
  /** how long it is skipped before one probe is let through */
  coolDownMs: number;
}

export const DEFAULT_BREAKER: BreakerPolicy = { failureThreshold: 5, coolDownMs: 60_000 };

interface EndpointState {
  failures: number;
  openUntil?: number;
  probing: boolean;
}

/** `send`: attempt it (`probe` when it tests an endpoint after its cool-down); `wait`: leave it until `until`. */
export type Admission = { send: true; probe: boolean } | { send: false; until: number };

/**
 * A circuit breaker per endpoint (one per channel): after N consecutive failures the endpoint's
 * notifications are not attempted until a cool-down passed, then a single probe decides — success
 * closes it, failure opens it for another cool-down. A dead endpoint then costs one request per
 * cool-down instead of one per notification, and its notifications keep their place in the outbox.
 * Each instance keeps its own breakers (in memory); the retries themselves are in the store.
 */
export class CircuitBreakers {
  private readonly endpoints = new Map<string, EndpointState>();

  constructor(private readonly policy: BreakerPolicy = DEFAULT_BREAKER) {}

  admit(endpoint: string, now: number): Admission {
    const s = this.endpoints.get(endpoint);
    if (!s || s.openUntil === undefined) return { send: true, probe: false };
    if (now < s.openUntil) return { send: false, until: s.openUntil };
    // One probe at a time; the others wait one more cool-down slice for its answer.
    if (s.probing) return { send: false, until: now + Math.max(50, Math.min(1_000, this.policy.coolDownMs)) };
    s.probing = true;
    return { send: true, probe: true };
  }

  record(endpoint: string, ok: boolean, now: number): void {
    const s = this.endpoints.get(endpoint) ?? { failures: 0, probing: false };
    if (ok) {
      this.endpoints.delete(endpoint);
      return;
    }
    s.failures += 1;
    if (s.probing || s.failures >= this.policy.failureThreshold) s.openUntil = now + this.policy.coolDownMs;
    s.probing = false;
    this.endpoints.set(endpoint, s);
  }

  /** Whether the endpoint is skipped at `now` (for the delivery log and tests). */
  isOpen(endpoint: string, now: number): boolean {
    const until = this.endpoints.get(endpoint)?.openUntil;
    return until !== undefined && now < until;
  }
}
