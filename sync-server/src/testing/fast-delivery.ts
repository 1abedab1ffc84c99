import type { DeliveryTuning } from '../domain/notifications/delivery-worker';

/** Notification delivery with every timing short for tests; the shape of the policy (doubling, cap, window) is the production one. */
export const FAST_DELIVERY: Partial<DeliveryTuning> = {
  pollMs: 25,
  timeoutMs: 300,
  claimLeaseMs: 2_000,
  retry: { baseDelayMs: 40, maxDelayMs: 200, jitter: 0.1, retryForMs: 60_000 },
  breaker: { failureThreshold: 100, coolDownMs: 1_000 },
};
