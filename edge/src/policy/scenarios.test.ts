import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MINUTE_MS, type Scenario, type SiteMode } from '@cr/shared';
import { ZonePresence } from '../domain/zone-presence';
import { Occupancy } from '../domain/occupancy';
import type { GatewayContext } from '../gateway/context';
import { ScenarioEngine } from './scenarios';
import { siteActuators } from './site-automation';
import type { SiteSense } from './scenario-triggers';

const START = Date.parse('2026-11-18T14:00:00+09:00'); // a Wednesday afternoon in Seoul

interface Published { topic: string; payload: Record<string, unknown> }

/** A site on a simulated clock: a PIR in the meeting room, a light, an HVAC unit and a door. */
function site() {
  const published: Published[] = [];
  const events: Array<{ type: string; data: Record<string, unknown> }> = [];
  const presence = new ZonePresence();
  const occupancy = new Occupancy();
  let mode: SiteMode = 'normal';
  let open = true;
  const alerts = new Set<string>();
  const kinds: Record<string, string> = { 'light-1': 'light', 'hvac-1': 'hvac', 'door-1': 'door' };
  const ctx = {
    config: { siteId: 'gangnam' },
    now: () => Date.now(),
    bus: { publish: (topic: string, payload: string) => published.push({ topic, payload: JSON.parse(payload) as Record<string, unknown> }) },
    registry: { get: (id: string) => (kinds[id] ? { config: { id, kind: kinds[id] } } : undefined) },
    modes: {
      get state() {
        return { mode, fireActive: false };
      },
      get mode() {
        return mode;
      },
      apply: (next: { mode: SiteMode }) => void (mode = next.mode),
    },
    recorder: { edge: async (type: string, _d: unknown, data: Record<string, unknown>) => void events.push({ type, data }) },
    log: { info: () => {} },
  } as unknown as GatewayContext;
  const sense: SiteSense = {
    now: () => Date.now(),
    timeZone: () => 'Asia/Seoul',
    mode: () => mode,
    siteOpen: () => open,
    quietFor: (z, now) => presence.quietFor(z, now),
    occupied: (z, now) => occupancy.total(z) > 0 || (presence.zones().includes(z) && presence.quietFor(z, now) === undefined),
    alertOpen: (t) => alerts.has(t),
  };
  const engine = new ScenarioEngine(sense, siteActuators(ctx));
  const cmds = (deviceId: string) => published.filter((p) => p.topic === `cr/gangnam/devices/${deviceId}/cmd`).map((p) => p.payload);
  /** advances the clock by `ms`, ticking every 5 s as the edge does */
  const advance = async (ms: number) => {
    for (let left = ms; left > 0; left -= 5_000) {
      await vi.advanceTimersByTimeAsync(Math.min(5_000, left));
      engine.tick();
    }
  };
  return {
    engine, presence, published, events, cmds, advance, alerts,
    setMode: (m: SiteMode) => void (mode = m),
    setOpen: (o: boolean) => void (open = o),
    motion: (occupied: boolean) => presence.observe('pir-1', 'meeting', occupied, Date.now()),
  };
}

const lightsOff: Scenario = {
  id: 'lights-off',
  trigger: { kind: 'zone-empty', zoneId: 'meeting', forMin: 10 },
  actions: [{ kind: 'device', deviceId: 'light-1', action: 'off' }],
};

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ScenarioEngine', () => {
  it('turns the lights off once the zone has been empty for 10 minutes, not before, and once per empty spell', async () => {
    const s = site();
    s.engine.load([lightsOff]);
    s.motion(true);
    await s.advance(2 * MINUTE_MS);
    s.motion(false);
    await s.advance(9 * MINUTE_MS + 50_000);
    expect(s.cmds('light-1')).toEqual([]);
    await s.advance(15_000);
    expect(s.cmds('light-1')).toEqual([expect.objectContaining({ action: 'off', reason: 'scenario lights-off' })]);
    const cmd = s.cmds('light-1')[0]!;
    expect(cmd.expiresAt).toBeGreaterThan(Date.now());
    expect(typeof cmd.id).toBe('string');
    await s.advance(30 * MINUTE_MS);
    expect(s.cmds('light-1')).toHaveLength(1);
    expect(s.events.filter((e) => e.type === 'automation.action')).toEqual([
      { type: 'automation.action', data: expect.objectContaining({ scenarioId: 'lights-off', ok: true, commandId: cmd.id }) },
    ]);
    // Someone comes back and leaves again: a new empty spell, a new run.
    s.motion(true);
    await s.advance(MINUTE_MS);
    s.motion(false);
    await s.advance(10 * MINUTE_MS + 5_000);
    expect(s.cmds('light-1')).toHaveLength(2);
  });

  it('never commands a door, and records the refusal', async () => {
    const s = site();
    s.engine.load([{ id: 'bad', trigger: { kind: 'mode', mode: 'secure' }, actions: [{ kind: 'device', deviceId: 'door-1', action: 'on' }] }]);
    s.setMode('secure');
    await s.advance(5_000);
    expect(s.cmds('door-1')).toEqual([]);
    expect(s.events).toEqual([{ type: 'automation.action', data: expect.objectContaining({ ok: false, error: 'scenarios do not command door devices' }) }]);
  });

  it('checks its conditions when it fires', async () => {
    const s = site();
    s.engine.load([{ ...lightsOff, conditions: [{ kind: 'site-closed' }] }]);
    s.motion(false);
    await s.advance(11 * MINUTE_MS);
    expect(s.cmds('light-1')).toEqual([]);
  });

  it('fires a time trigger once at the local time on the named days', async () => {
    const s = site();
    s.engine.load([{ id: 'night', trigger: { kind: 'time', at: '14:10', days: [3] }, actions: [{ kind: 'mode', mode: 'secure' }] }]);
    await s.advance(9 * MINUTE_MS);
    expect(s.engine).toBeDefined();
    expect(s.events).toEqual([]);
    await s.advance(3 * MINUTE_MS);
    expect(s.events).toEqual([{ type: 'automation.action', data: expect.objectContaining({ scenarioId: 'night', ok: true }) }]);
    await s.advance(24 * 60 * MINUTE_MS); // Thursday 14:10 is not a named day
    expect(s.events).toHaveLength(1);
  });

  const slow = (mode: Scenario['mode']): Scenario => ({
    id: 'hvac-cycle',
    mode,
    trigger: { kind: 'alert', type: 'env.co2' },
    actions: [{ kind: 'device', deviceId: 'hvac-1', action: 'on' }, { kind: 'wait', minutes: 10 }, { kind: 'device', deviceId: 'hvac-1', action: 'off' }],
  });
  /** the alert opens, clears and opens again 2 minutes later, while the first run waits */
  const fireTwice = async (s: ReturnType<typeof site>) => {
    s.alerts.add('env.co2');
    await s.advance(5_000);
    s.alerts.delete('env.co2');
    await s.advance(MINUTE_MS);
    s.alerts.add('env.co2');
    await s.advance(MINUTE_MS);
  };

  it('single: a firing while it runs is ignored', async () => {
    const s = site();
    s.engine.load([slow('single')]);
    await fireTwice(s);
    await s.advance(30 * MINUTE_MS);
    expect(s.cmds('hvac-1').map((c) => c.action)).toEqual(['on', 'off']);
  });

  it('restart: the running one is abandoned and the new one runs whole', async () => {
    const s = site();
    s.engine.load([slow('restart')]);
    await fireTwice(s);
    expect(s.cmds('hvac-1').map((c) => c.action)).toEqual(['on', 'on']);
    await s.advance(8 * MINUTE_MS + 30_000); // the first run's 10 minutes are over: it must not switch off
    expect(s.cmds('hvac-1').map((c) => c.action)).toEqual(['on', 'on']);
    await s.advance(2 * MINUTE_MS);
    expect(s.cmds('hvac-1').map((c) => c.action)).toEqual(['on', 'on', 'off']);
  });

  it('queued: the second run starts after the first ended', async () => {
    const s = site();
    s.engine.load([slow('queued')]);
    await fireTwice(s);
    expect(s.cmds('hvac-1').map((c) => c.action)).toEqual(['on']);
    await s.advance(9 * MINUTE_MS);
    expect(s.cmds('hvac-1').map((c) => c.action)).toEqual(['on', 'off', 'on']);
    await s.advance(11 * MINUTE_MS);
    expect(s.cmds('hvac-1').map((c) => c.action)).toEqual(['on', 'off', 'on', 'off']);
  });

  it('maxRunsPerHour: firings past the limit in the last hour are skipped and recorded', async () => {
    const s = site();
    s.engine.load([{ id: 'flicker', maxRunsPerHour: 2, trigger: { kind: 'zone-occupied', zoneId: 'meeting', forMin: 0 }, actions: [{ kind: 'device', deviceId: 'light-1', action: 'on' }] }]);
    for (let i = 0; i < 4; i++) {
      s.motion(true);
      await s.advance(5_000);
      s.motion(false);
      await s.advance(5 * MINUTE_MS);
    }
    expect(s.cmds('light-1')).toHaveLength(2);
    expect(s.events.filter((e) => e.type === 'automation.skipped')).toHaveLength(2);
    await s.advance(60 * MINUTE_MS);
    s.motion(true);
    await s.advance(5_000);
    expect(s.cmds('light-1')).toHaveLength(3);
  });

  it('a mode action goes through the mode controller, never out of lockdown', async () => {
    const s = site();
    s.engine.load([{ id: 'night', trigger: { kind: 'alert', type: 'presence.after-hours' }, actions: [{ kind: 'mode', mode: 'secure' }] }]);
    s.setMode('lockdown');
    s.alerts.add('presence.after-hours');
    await s.advance(5_000);
    expect(s.events).toEqual([{ type: 'automation.action', data: expect.objectContaining({ ok: false, error: 'site is in lockdown' }) }]);
  });
});
