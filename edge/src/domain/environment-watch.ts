import { SustainedCondition, type Reading, type SustainedChange } from './sustained';
import type { WatchSignal } from './watch-signal';

export interface Range {
  min: number;
  max: number;
}

/** The comfort limits of a site's rooms and how long a reading must stay past them to count. */
export interface EnvironmentLimits {
  co2MaxPpm: number;
  co2SustainMs: number;
  temperatureC: Range;
  temperatureSustainMs: number;
  humidityPct: Range;
  humiditySustainMs: number;
}

export const DEFAULT_ENVIRONMENT_LIMITS: EnvironmentLimits = {
  co2MaxPpm: 1500,
  co2SustainMs: 5 * 60_000,
  temperatureC: { min: 16, max: 30 },
  temperatureSustainMs: 10 * 60_000,
  humidityPct: { min: 20, max: 70 },
  humiditySustainMs: 10 * 60_000,
};

export type EnvironmentAlarm = 'env.co2-high' | 'env.temperature' | 'env.humidity';

export interface EnvironmentReading {
  temperatureC: number;
  humidityPct: number;
  co2ppm?: number;
}

/** How far back inside a limit a reading must come before the alarm's cause counts as cleared. */
const MARGIN = { co2: 100, temperature: 0.5, humidity: 2 } as const;

function againstMax(value: number, max: number, margin: number): Reading {
  return value > max ? 'past' : value <= max - margin ? 'inside' : 'margin';
}

function againstRange(value: number, r: Range, margin: number): Reading {
  if (value < r.min || value > r.max) return 'past';
  return value >= r.min + margin && value <= r.max - margin ? 'inside' : 'margin';
}

const key = (deviceId: string, alarm: EnvironmentAlarm): string => `${deviceId}|${alarm}`;

/**
 * Room climate out of range for a sustained time, pure: CO2 above its limit, temperature or
 * humidity outside their ranges, each for its own sustained time, per environment sensor.
 */
export class EnvironmentWatch {
  private readonly conditions: Record<EnvironmentAlarm, SustainedCondition>;
  private readonly last = new Map<string, EnvironmentReading>();

  constructor(private readonly limits: EnvironmentLimits) {
    this.conditions = {
      'env.co2-high': new SustainedCondition(limits.co2SustainMs),
      'env.temperature': new SustainedCondition(limits.temperatureSustainMs),
      'env.humidity': new SustainedCondition(limits.humiditySustainMs),
    };
  }

  reading(deviceId: string, r: EnvironmentReading, now: number): Array<WatchSignal & { alarm: EnvironmentAlarm }> {
    this.last.set(deviceId, r);
    const l = this.limits;
    const verdicts: Array<[EnvironmentAlarm, Reading | undefined]> = [
      ['env.co2-high', r.co2ppm === undefined ? undefined : againstMax(r.co2ppm, l.co2MaxPpm, MARGIN.co2)],
      ['env.temperature', againstRange(r.temperatureC, l.temperatureC, MARGIN.temperature)],
      ['env.humidity', againstRange(r.humidityPct, l.humidityPct, MARGIN.humidity)],
    ];
    const out: Array<WatchSignal & { alarm: EnvironmentAlarm }> = [];
    for (const [alarm, reading] of verdicts) {
      if (reading) out.push(...this.signals(alarm, this.conditions[alarm].update(key(deviceId, alarm), reading, now)));
    }
    return out;
  }

  tick(now: number): Array<WatchSignal & { alarm: EnvironmentAlarm }> {
    return (Object.keys(this.conditions) as EnvironmentAlarm[]).flatMap((alarm) => this.signals(alarm, this.conditions[alarm].tick(now)));
  }

  forget(deviceId: string): void {
    this.last.delete(deviceId);
    for (const alarm of Object.keys(this.conditions) as EnvironmentAlarm[]) this.conditions[alarm].forget(key(deviceId, alarm));
  }

  private signals(alarm: EnvironmentAlarm, changes: SustainedChange[]): Array<WatchSignal & { alarm: EnvironmentAlarm }> {
    return changes.map((c) => {
      const deviceId = c.key.slice(0, c.key.lastIndexOf('|'));
      return { alarm, phase: c.phase, subject: deviceId, at: c.at, message: this.describe(alarm, deviceId, c.phase) };
    });
  }

  private describe(alarm: EnvironmentAlarm, deviceId: string, phase: 'raise' | 'clear'): string {
    const r = this.last.get(deviceId);
    const l = this.limits;
    const min = (ms: number): string => `${Math.round(ms / 6_000) / 10} min`;
    if (alarm === 'env.co2-high') return phase === 'raise' ? `CO2 ${r?.co2ppm} ppm, above ${l.co2MaxPpm} ppm for ${min(l.co2SustainMs)}` : `CO2 back to ${r?.co2ppm} ppm`;
    if (alarm === 'env.temperature') return phase === 'raise' ? `temperature ${r?.temperatureC} °C, outside ${l.temperatureC.min}–${l.temperatureC.max} °C for ${min(l.temperatureSustainMs)}` : `temperature back to ${r?.temperatureC} °C`;
    return phase === 'raise' ? `humidity ${r?.humidityPct} %, outside ${l.humidityPct.min}–${l.humidityPct.max} % for ${min(l.humiditySustainMs)}` : `humidity back to ${r?.humidityPct} %`;
  }
}
