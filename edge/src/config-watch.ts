import { DEFAULT_ENVIRONMENT_LIMITS, type Range } from './domain/environment-watch';
import { parseZoneCapacities, type ZoneCapacities } from './domain/zone-capacity';

/** Thresholds of the edge's anomaly detections (presence, climate, HVAC, power, device health). */
export interface WatchConfig {
  /** a zone whose motion sensors report nobody this long counts as empty (unauthorized entry) */
  zoneEmptyMs: number;
  /** how long a grant lets one person in, as counted by a zone's people counter (tailgating) */
  tailgateWindowMs: number;
  /** people each zone may hold (`--zone-capacity`); zones without a limit are not watched */
  zoneCapacities?: ZoneCapacities;
  co2MaxPpm: number;
  co2SustainMs: number;
  temperatureC: Range;
  temperatureSustainMs: number;
  humidityPct: Range;
  humiditySustainMs: number;
  /** an HVAC running in a zone empty this long raises hvac.empty-zone */
  hvacEmptyMs: number;
  /** a running HVAC off its set-point this long raises hvac.setpoint-missed */
  hvacSetpointMs: number;
  powerMaxWatts: number;
  powerSustainMs: number;
  /** more drops than this within `flapWindowMs` is a flapping device */
  flapCount: number;
  flapWindowMs: number;
}

/** Whole-number flags of the detections: flag → [config key, default]. */
export const WATCH_NUMERIC = {
  'zone-empty-ms': ['zoneEmptyMs', 5 * 60_000],
  'tailgate-window-ms': ['tailgateWindowMs', 30_000],
  'co2-max-ppm': ['co2MaxPpm', DEFAULT_ENVIRONMENT_LIMITS.co2MaxPpm],
  'co2-sustain-ms': ['co2SustainMs', DEFAULT_ENVIRONMENT_LIMITS.co2SustainMs],
  'temperature-sustain-ms': ['temperatureSustainMs', DEFAULT_ENVIRONMENT_LIMITS.temperatureSustainMs],
  'humidity-sustain-ms': ['humiditySustainMs', DEFAULT_ENVIRONMENT_LIMITS.humiditySustainMs],
  'hvac-empty-ms': ['hvacEmptyMs', 30 * 60_000],
  'hvac-setpoint-ms': ['hvacSetpointMs', 30 * 60_000],
  'power-max-watts': ['powerMaxWatts', 20_000],
  'power-sustain-ms': ['powerSustainMs', 60_000],
  'flap-count': ['flapCount', 5],
  'flap-window-ms': ['flapWindowMs', 10 * 60_000],
} as const satisfies Record<string, [keyof WatchConfig, number]>;

export const WATCH_STRING_FLAGS = ['zone-capacity', 'temperature-range', 'humidity-range'] as const;

export const WATCH_USAGE = `[--zone-capacity ZONE=N,…,*=N (people each zone may hold; zone.over-capacity)] [--temperature-range MIN-MAX (°C, default 16-30)] [--humidity-range MIN-MAX (%, default 20-70)]`;

/** Parses `MIN-MAX` (e.g. `16-30`, `-5-35`, `18.5-26`); undefined when malformed or MIN ≥ MAX. */
export function parseRange(raw: string): Range | undefined {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$/.exec(raw);
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = Number(m[2]);
  return min < max ? { min, max } : undefined;
}

/** The text flags of the detections; `fail` reports a bad one (one clear line). */
export function parseWatchText(str: (flag: string) => string | undefined, fail: (message: string) => never): Pick<WatchConfig, 'zoneCapacities' | 'temperatureC' | 'humidityPct'> {
  const capRaw = str('zone-capacity');
  const zoneCapacities = capRaw === undefined ? undefined : parseZoneCapacities(capRaw);
  if (capRaw !== undefined && !zoneCapacities) fail(`--zone-capacity must be ZONE=N pairs separated by commas (* for every other zone), e.g. lobby=30,meeting=8; got ${JSON.stringify(capRaw)}`);
  const range = (flag: string, def: Range): Range => {
    const raw = str(flag);
    if (raw === undefined) return def;
    return parseRange(raw) ?? fail(`--${flag} must be MIN-MAX with MIN < MAX (e.g. ${def.min}-${def.max}), got ${JSON.stringify(raw)}`);
  };
  return {
    ...(zoneCapacities ? { zoneCapacities } : {}),
    temperatureC: range('temperature-range', DEFAULT_ENVIRONMENT_LIMITS.temperatureC),
    humidityPct: range('humidity-range', DEFAULT_ENVIRONMENT_LIMITS.humidityPct),
  };
}
