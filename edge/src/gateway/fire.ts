import type { GatewayContext } from './context';

/**
 * A fire panel says there is a fire (its event or its retained state). Fail-safe: every door is
 * commanded open at once, before and regardless of any commit; the alert and the records follow.
 * A repeated alarm while the fire state holds re-sends the unlocks, which is harmless.
 */
export function onFireSignal(ctx: GatewayContext, panelId: string, source: 'event' | 'state', at: number): void {
  const wasActive = ctx.modes.state.fireActive;
  ctx.modes.fireAlarm(ctx.now(), panelId);
  const zoneId = ctx.registry.get(panelId)?.config.zoneId;
  ctx.site.alerts.raise('fire.alarm', { deviceId: panelId, zoneId, message: `fire alarm (${source === 'event' ? 'panel event' : 'panel state'}): all doors unlocked` }, at);
  if (!wasActive) ctx.log.warn(`fire alarm from ${panelId} (${source}): site in emergency-unlock`, { deviceId: panelId, source });
}

/** The panel's state says whether it is in alarm; an alarm that was not yet known starts the fire response. */
export function onPanelState(ctx: GatewayContext, panelId: string, alarm: boolean, at: number): void {
  const known = ctx.modes.panelInAlarm(panelId);
  ctx.modes.setPanelAlarm(panelId, alarm);
  if (alarm && (!known || !ctx.modes.state.fireActive)) onFireSignal(ctx, panelId, 'state', at);
}
