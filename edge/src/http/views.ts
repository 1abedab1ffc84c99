import type { GatewayContext } from '../gateway/context';
import type { Outbox } from '../store/outbox';
import type { Uplink } from '../uplink/start-uplink';
import type { HealthView, SiteView } from './lan-schemas';

/** `GET /health` (CONTRACT.md §4, extended). */
export function healthOf(ctx: GatewayContext, outbox: Outbox, uplink: Uplink | undefined): HealthView {
  const now = ctx.now();
  return {
    siteId: ctx.config.siteId,
    cloud: uplink?.connected ? 'connected' : 'disconnected',
    mode: ctx.modes.mode,
    fireActive: ctx.modes.state.fireActive,
    outboxDepth: outbox.depth,
    permissionsSyncedAt: ctx.permissions.syncedAt ?? null,
    permissionsVersion: ctx.permissions.version,
    cacheStale: ctx.permissions.isStale(now, ctx.config.cacheTtlMs),
    devices: ctx.registry.size,
    devicesOnline: ctx.registry.onlineCount(),
    ...(ctx.policy.current ? { policyId: ctx.policy.current.policyId, policyVersion: ctx.policy.current.version } : {}),
  };
}

/** `GET /api/v1/site`: meta, zones and devices as the edge knows them. */
export function siteViewOf(ctx: GatewayContext): SiteView {
  const meta = ctx.site.view.meta();
  return {
    ...meta,
    id: ctx.config.siteId,
    tenantId: ctx.config.tenantId,
    mode: ctx.modes.mode,
    fireActive: ctx.modes.state.fireActive,
    zones: ctx.site.view.zones(),
    devices: ctx.site.devices(),
  };
}
