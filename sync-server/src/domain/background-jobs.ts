import { DAY_MS, HOUR_MS } from '@cr/shared';
import type { CloudContext } from '../context';

export { runRetention } from './retention';

/**
 * An instance that ran retention keeps the job while it lives (it renews each hour); one that
 * died hands it on once this lease ran out.
 */
const RETENTION_LEASE_MS = 90 * 60_000;

/** How often running firmware rollouts are resumed, and how long their driver's lease lasts unrenewed. */
const FIRMWARE_TICK_MS = 1_000;
const FIRMWARE_LEASE_MS = 10_000;

/** How often staged policy rollouts are stepped (their waits end, their signals are read), and their driver's lease. */
const POLICY_ROLLOUT_TICK_MS = 1_000;
const POLICY_ROLLOUT_LEASE_MS = 10_000;

/** How often no-shows are settled, and how often bookings entering the edges' horizon are sent. */
const NO_SHOW_TICK_MS = 5_000;
const HORIZON_TICK_MS = 60_000;

/** Timers: link timeouts, idle document unloading, retention (hourly, one pass at a time). Returns the stop function. */
export function startBackgroundJobs(ctx: CloudContext): () => void {
  const tickMs = Math.min(1000, Math.max(50, Math.floor(ctx.config.linkTimeoutMs / 4)));
  // A job whose last run has not finished is not started again; a failure (sync or async) is logged.
  const guard = (name: string, fn: () => void | Promise<void>) => {
    let running = false;
    return () => {
      if (running) return;
      running = true;
      Promise.resolve()
        .then(fn)
        .catch((err: unknown) => ctx.log.error({ err }, `cloud: ${name} failed: ${(err as Error).message}`))
        .finally(() => (running = false));
    };
  };
  const stopRetention = new AbortController();
  let retaining = false;
  const retention = () => {
    if (retaining) return;
    retaining = true;
    // Once across instances: whoever holds the lease runs the pass.
    ctx.stores.leases
      .acquire('retention', ctx.instanceId, RETENTION_LEASE_MS)
      .then((held) =>
        held ? ctx.stores.retain(Date.now() - ctx.config.retentionDays * DAY_MS, stopRetention.signal) : undefined,
      )
      .catch((err: Error) => {
        if (!stopRetention.signal.aborted) ctx.log.error({ err }, `cloud: retention failed: ${err.message}`);
      })
      .finally(() => (retaining = false));
  };
  const timers = [
    setInterval(
      guard('link check', () => ctx.status.tick()),
      tickMs,
    ),
    setInterval(
      guard('idle unload', () => void ctx.docs.sweepIdle()),
      10_000,
    ),
    setInterval(retention, HOUR_MS),
    // Each instance stores the readings minutes of the gateways connected to it.
    setInterval(
      guard('telemetry minutes', async () => void (await ctx.telemetry.flush())),
      15_000,
    ),
    // Rollouts go on after a restart; one instance drives them (the lease), the others only record progress.
    setInterval(
      guard('firmware rollouts', async () => {
        if (await ctx.stores.leases.acquire('firmware-rollouts', ctx.instanceId, FIRMWARE_LEASE_MS)) await ctx.firmware.tick();
      }),
      FIRMWARE_TICK_MS,
    ),
    // Staged policy rollouts go on after a restart; one instance drives them.
    setInterval(
      guard('policy rollouts', async () => {
        if (await ctx.stores.leases.acquire('policy-rollouts', ctx.instanceId, POLICY_ROLLOUT_LEASE_MS)) await ctx.policies.staged.tick();
      }),
      POLICY_ROLLOUT_TICK_MS,
    ),
    // The cloud releases no-shows on its own, once across instances; the edges learn through the hub.
    setInterval(
      guard('booking no-shows', async () => {
        if (await ctx.stores.leases.acquire('booking-no-shows', ctx.instanceId, 4 * NO_SHOW_TICK_MS)) await ctx.bookings.sweep();
      }),
      NO_SHOW_TICK_MS,
    ),
    setInterval(
      guard('booking horizon', async () => {
        if (await ctx.stores.leases.acquire('booking-horizon', ctx.instanceId, 3 * HORIZON_TICK_MS)) await ctx.bookings.feed.horizonTick(HORIZON_TICK_MS);
      }),
      HORIZON_TICK_MS,
    ),
  ];
  retention();
  for (const t of timers) t.unref();
  return () => {
    stopRetention.abort();
    timers.forEach(clearInterval);
  };
}
