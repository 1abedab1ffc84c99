import type { GatewayContext } from './context';
import type { Outbox } from '../store/outbox';
import { handleSafety, sweepDevices } from './devices';
import { afterHoursPresence } from '../domain/after-hours';
import { SiteFacts } from '../store/site-facts';
import { SiteWatch } from '../domain/site-watch';
import { watchTick } from './watch';

/** Interval of the maintenance tick: fine enough for the shortest configured limit. */
export function tickInterval(ctx: GatewayContext): number {
  const { heldOpenMs, deviceStaleMs, cacheTtlMs } = ctx.config;
  return Math.max(50, Math.min(1_000, heldOpenMs / 4, deviceStaleMs / 4, cacheTtlMs / 4, SiteWatch.resolution(ctx.config)));
}

/** Outbox fill at which the edge raises `outbox-pressure`, and the fill at which it clears. */
const PRESSURE_RAISE = 0.8;
const PRESSURE_CLEAR = 0.7;

/**
 * The edge's periodic checks: doors held open, silent devices, the permission cache's age, outbox
 * pressure, after-hours presence, the anomaly detections' timers, and forgetting device event ids past the replay window. Each raises its
 * alert when the condition starts and marks its cause cleared when it ends (the alarm stays for a person).
 */
export function maintenanceTick(ctx: GatewayContext, outbox: Pick<Outbox, 'depth' | 'fill' | 'capacity' | 'pruneReplayIds'>): void {
  const now = ctx.now();
  if (ctx.modes.unsaved) ctx.modes.persist();
  void outbox.pruneReplayIds(now).catch((err: Error) => ctx.burst.warn('replay-ids', `could not prune seen event ids: ${err.message}`));
  handleSafety(ctx, ctx.doors.tick(now, ctx.modes.mode, (doorId) => doorLimit(ctx, doorId)));
  sweepDevices(ctx);
  checkCache(ctx, now);
  checkAfterHours(ctx, now);
  watchTick(ctx, now);
  ctx.metrics.outboxDepth.set(outbox.depth);
  const alerts = ctx.site.alerts;
  if (outbox.fill >= PRESSURE_RAISE && !alerts.isOpen('outbox-pressure')) {
    ctx.log.warn(`outbox at ${Math.round(outbox.fill * 100)} % of ${outbox.capacity} events`);
    alerts.raise('outbox-pressure', { message: `outbox ${Math.round(outbox.fill * 100)} % full; events are not reaching the cloud` }, now);
  } else if (outbox.fill < PRESSURE_CLEAR && alerts.isOpen('outbox-pressure')) {
    alerts.clear('outbox-pressure', undefined, now, 'outbox drained');
  }
}

function doorLimit(ctx: GatewayContext, doorId: string): number {
  const cfg = ctx.registry.get(doorId)?.config;
  return cfg?.kind === 'door' && cfg.heldOpenLimitMs ? cfg.heldOpenLimitMs : ctx.config.heldOpenMs;
}

function checkCache(ctx: GatewayContext, now: number): void {
  const stale = ctx.permissions.isStale(now, ctx.config.cacheTtlMs);
  ctx.metrics.cacheStale.set(stale ? 1 : 0);
  const open = ctx.site.alerts.isOpen('cache-stale');
  if (stale && !open) {
    const since = ctx.permissions.syncedAt === undefined ? now : ctx.permissions.syncedAt + ctx.config.cacheTtlMs;
    ctx.log.warn('permission cache is stale: only offline-whitelisted members enter');
    ctx.site.alerts.raise('cache-stale', { message: 'permission cache older than its TTL: whitelist only' }, since);
  } else if (!stale && open) {
    ctx.site.alerts.clear('cache-stale', undefined, now, 'permissions synced');
  }
}

/** After-hours presence from the edge's own people counts: works with the cloud unreachable. */
function checkAfterHours(ctx: GatewayContext, now: number): void {
  if (!ctx.config.siteHours) return;
  const verdict = afterHoursPresence(now, SiteFacts.of(ctx.permissions.settings).timeZone, ctx.config.siteHours, ctx.occupancy.byZone());
  const open = ctx.site.alerts.isOpen('presence.after-hours');
  if (verdict.present && !open) {
    const where = verdict.zones.map((z) => `${z.zoneId}: ${z.count}`).join(', ');
    ctx.log.warn(`people inside after hours (${where})`);
    ctx.site.alerts.raise('presence.after-hours', { zoneId: verdict.zones[0]!.zoneId, message: `people counted after hours: ${where}` }, now);
  } else if (!verdict.present && open) {
    ctx.site.alerts.clear('presence.after-hours', undefined, now, 'nobody counted inside, or the site is open');
  }
}

/** How often resolved alerts are pruned: hourly for the default week, sooner for short retentions. */
export function pruneInterval(ctx: GatewayContext): number {
  return Math.min(3_600_000, Math.max(50, Math.floor(ctx.config.alertRetentionMs / 4)));
}

/** Prunes resolved alerts older than the retention from the site document (the cloud's copy follows by sync). */
export function pruneAlerts(ctx: GatewayContext): void {
  try {
    const pruned = ctx.site.alerts.prune(ctx.now() - ctx.config.alertRetentionMs);
    if (pruned > 0) ctx.log.info(`pruned ${pruned} resolved alerts older than ${ctx.config.alertRetentionMs} ms`);
  } catch (err) {
    ctx.burst.warn('alert-pruning', `could not prune alerts: ${(err as Error).message}`);
  }
}
