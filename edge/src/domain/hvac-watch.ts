import { SustainedCondition, type SustainedChange } from './sustained';
import type { WatchSignal } from './watch-signal';

export interface HvacLimits {
  /** an HVAC running in a zone quiet this long is heating or cooling nobody */
  emptyZoneMs: number;
  /** a running HVAC further than SETPOINT_MISS_C from its set-point this long is not keeping up */
  setpointMs: number;
}

export interface HvacReading {
  on: boolean;
  mode: string;
  setpointC: number;
  currentC?: number;
}

export type HvacAlarm = 'hvac.empty-zone' | 'hvac.setpoint-missed';

/** Off its set-point by more than this counts as missing it; back within SETPOINT_REACHED_C counts as reached. */
export const SETPOINT_MISS_C = 1.5;
const SETPOINT_REACHED_C = 1;

const running = (r: HvacReading): boolean => r.on && r.mode !== 'off';

/**
 * HVAC anomalies, pure: a unit running in a zone that has been empty for `emptyZoneMs` (clears when
 * it stops or someone comes in), and a running unit that does not come within SETPOINT_MISS_C of
 * its set-point within `setpointMs` (a new set-point starts the clock again).
 */
export class HvacWatch {
  private readonly units = new Map<string, { zoneId?: string; reading: HvacReading; emptyAlarm: boolean }>();
  private readonly setpoint: SustainedCondition;

  constructor(private readonly limits: HvacLimits) {
    this.setpoint = new SustainedCondition(limits.setpointMs);
  }

  reading(deviceId: string, zoneId: string | undefined, r: HvacReading, now: number): Array<WatchSignal & { alarm: HvacAlarm }> {
    const prev = this.units.get(deviceId);
    this.units.set(deviceId, { zoneId, reading: r, emptyAlarm: prev?.emptyAlarm ?? false });
    if (prev && prev.reading.setpointC !== r.setpointC) this.setpoint.restart(deviceId, now);
    const off = r.currentC === undefined ? undefined : Math.abs(r.currentC - r.setpointC);
    const verdict = !running(r) || off === undefined || off <= SETPOINT_REACHED_C ? 'inside' : off > SETPOINT_MISS_C ? 'past' : 'margin';
    return this.setpointSignals(this.setpoint.update(deviceId, verdict, now));
  }

  /** `quietFor` tells how long a zone has been empty (ZonePresence.quietFor). */
  tick(now: number, quietFor: (zoneId: string) => number | undefined): Array<WatchSignal & { alarm: HvacAlarm }> {
    const out = this.setpointSignals(this.setpoint.tick(now));
    for (const [deviceId, u] of this.units) {
      const quiet = u.zoneId === undefined ? undefined : quietFor(u.zoneId);
      const wasted = running(u.reading) && quiet !== undefined && quiet >= this.limits.emptyZoneMs;
      if (wasted === u.emptyAlarm) continue;
      u.emptyAlarm = wasted;
      out.push({
        alarm: 'hvac.empty-zone',
        phase: wasted ? 'raise' : 'clear',
        subject: deviceId,
        at: now,
        message: wasted ? `running (${u.reading.mode}, ${u.reading.setpointC} °C) in ${u.zoneId}, empty for ${Math.round(quiet! / 60_000)} min` : running(u.reading) ? `someone is in ${u.zoneId} again` : 'unit stopped',
      });
    }
    return out;
  }

  forget(deviceId: string): void {
    this.units.delete(deviceId);
    this.setpoint.forget(deviceId);
  }

  private setpointSignals(changes: SustainedChange[]): Array<WatchSignal & { alarm: HvacAlarm }> {
    return changes.map((c) => {
      const r = this.units.get(c.key)?.reading;
      const message = c.phase === 'raise' ? `at ${r?.currentC} °C, set to ${r?.setpointC} °C, for ${Math.round(this.limits.setpointMs / 60_000)} min` : `set-point reached or unit stopped (${r?.currentC} °C, set to ${r?.setpointC} °C)`;
      return { alarm: 'hvac.setpoint-missed' as const, phase: c.phase, subject: c.key, at: c.at, message };
    });
  }
}
