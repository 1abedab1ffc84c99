/** How failed deliveries are retried; tests shorten every timing, production uses the defaults. */
export interface RetryPolicy {
  /** the wait after the first failure; doubled after each further one */
  baseDelayMs: number;
  /** the longest wait between two attempts */
  maxDelayMs: number;
  /** up to this fraction of the wait is added at random, so many failed notifications do not retry in lockstep */
  jitter: number;
  /** a notification still failing this long after its first queueing (or its retry from the dead letters) is given up */
  retryForMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  jitter: 0.25,
  // CONTRACT §7: at least an hour of retries; the attempt that fails after this gives up.
  retryForMs: 60 * 60_000,
};

/** The wait before attempt `failures + 1`: 1 s, 2 s, 4 s … capped, plus jitter. */
export function retryDelay(policy: RetryPolicy, failures: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.round(exp * (1 + policy.jitter * random()));
}
