import { DAY_MS, HOUR_MS } from '@cr/shared';
import type { CloudContext } from '../context';

/** Deletes access events older than the retention period (DESIGN.md: 90 days by default). */
export function runRetention(ctx: Pick<CloudContext, 'events' | 'config'>, now = Date.now()): number {
  return ctx.events.deleteAccessEventsBefore(now - ctx.config.retentionDays * DAY_MS);
}

/** Timers: link timeouts, idle document unloading, retention. Returns the stop function. */
export function startBackgroundJobs(ctx: CloudContext): () => void {
  const tickMs = Math.min(1000, Math.max(50, Math.floor(ctx.config.linkTimeoutMs / 4)));
  const guard = (name: string, fn: () => void) => () => {
    try {
      fn();
    } catch (err) {
      console.error(`cloud: ${name} failed: ${(err as Error).message}`);
    }
  };
  const timers = [
    setInterval(
      guard('link check', () => ctx.status.tick()),
      tickMs,
    ),
    setInterval(
      guard('idle unload', () => ctx.docs.sweepIdle()),
      10_000,
    ),
    setInterval(
      guard('retention', () => runRetention(ctx)),
      HOUR_MS,
    ),
  ];
  guard('retention', () => runRetention(ctx))();
  for (const t of timers) t.unref();
  return () => timers.forEach(clearInterval);
}
