import { randomUUID } from 'node:crypto';
import { COMMAND_TTL_MS, deviceTopic, type AlertType } from '@cr/shared';
import type { GatewayContext } from '../gateway/context';
import { SiteFacts } from '../store/site-facts';
import type { PolicyHolder } from './policy-holder';
import { ScenarioEngine, type ActuatorResult, type ScenarioActuators } from './scenarios';
import type { SiteSense } from './scenario-triggers';

/** Device kinds a scenario may command: doors and readers move only with the site's mode. */
const AUTOMATED_KINDS: ReadonlySet<string> = new Set(['light', 'hvac']);

/** How often the engine looks at the site. */
export const AUTOMATION_TICK_MS = 5_000;

/** The site as the engine reads it: zone presence and counts, mode, alerts, opening hours. */
export function siteSense(ctx: GatewayContext, policy: PolicyHolder): SiteSense {
  const presence = ctx.watch.presence;
  const timeZone = () => SiteFacts.of(ctx.permissions.settings).timeZone;
  const occupied = (zoneId: string, now: number) =>
    ctx.occupancy.total(zoneId) > 0 || (presence.zones().includes(zoneId) && presence.quietFor(zoneId, now) === undefined);
  return {
    now: ctx.now,
    timeZone,
    mode: () => ctx.modes.mode,
    siteOpen: (now) => policy.isOpen(now, timeZone()),
    quietFor: (zoneId, now) => (ctx.occupancy.total(zoneId) > 0 ? undefined : presence.quietFor(zoneId, now)),
    occupied,
    alertOpen: (type) => ctx.site.alerts.isOpen(type as AlertType),
  };
}

/** Scenario actions carried out through the gateway's own paths: MQTT commands, the mode controller, the outbox. */
export function siteActuators(ctx: GatewayContext): ScenarioActuators {
  return {
    device(deviceId, action, value, reason): ActuatorResult {
      const kind = ctx.registry.get(deviceId)?.config.kind;
      // Threat: a policy opening or locking a door behind the mode controller's and door safety's back.
      if (kind === undefined) return { ok: false, error: `unknown device ${deviceId}` };
      if (!AUTOMATED_KINDS.has(kind)) return { ok: false, error: `scenarios do not command ${kind} devices` };
      const now = ctx.now();
      const id = randomUUID();
      const cmd = { id, action, ...(value === undefined ? {} : { value }), reason, expiresAt: now + COMMAND_TTL_MS };
      ctx.bus.publish(deviceTopic(ctx.config.siteId, deviceId, 'cmd'), JSON.stringify(cmd), { qos: 1 });
      return { ok: true, commandId: id };
    },
    mode(mode, by): ActuatorResult {
      const state = ctx.modes.state;
      // Safety: automation never ends a fire state, a lockdown or an emergency unlock people put in force.
      if (state.fireActive || state.mode === 'lockdown' || state.mode === 'emergency-unlock') return { ok: false, error: `site is in ${state.mode}${state.fireActive ? ' (fire)' : ''}` };
      if (state.mode === mode) return { ok: true };
      const now = ctx.now();
      ctx.modes.apply({ ...state, mode, fireActive: false, changedAt: now, changedBy: by }, now, by);
      return { ok: true };
    },
    notify(message, scenarioId): ActuatorResult {
      ctx.log.info(`scenario ${scenarioId}: ${message.slice(0, 200)}`);
      return { ok: true };
    },
    record(type, data, ts) {
      void ctx.recorder.edge(type, undefined, data, ts);
    },
  };
}

/** The site's automation: the engine fed from the applied policy and ticked from memory. */
export function startAutomation(ctx: GatewayContext, policy: PolicyHolder): { engine: ScenarioEngine; stop(): void } {
  const engine = new ScenarioEngine(siteSense(ctx, policy), siteActuators(ctx));
  engine.load(policy.current?.body.scenarios ?? []);
  policy.onApplied((p) => engine.load(p.body.scenarios ?? []));
  const timer = setInterval(() => engine.tick(), AUTOMATION_TICK_MS);
  timer.unref();
  return {
    engine,
    stop() {
      clearInterval(timer);
      engine.close();
    },
  };
}
