import { describe, expect, it } from 'vitest';
import { DEFAULT_ENVIRONMENT_LIMITS, EnvironmentWatch } from './environment-watch';

const limits = { ...DEFAULT_ENVIRONMENT_LIMITS, co2SustainMs: 1_000, temperatureSustainMs: 2_000, humiditySustainMs: 2_000 };
const normal = { temperatureC: 22, humidityPct: 45, co2ppm: 700 };

describe('environment watch', () => {
  it('raises CO2 after its sustained time, temperature after its own, and clears each when back inside', () => {
    const w = new EnvironmentWatch(limits);
    expect(w.reading('env', { ...normal, co2ppm: 1800, temperatureC: 31 }, 0)).toEqual([]);
    expect(w.tick(1_000)).toMatchObject([{ alarm: 'env.co2-high', phase: 'raise', subject: 'env', at: 0, message: 'CO2 1800 ppm, above 1500 ppm for 0 min' }]);
    expect(w.tick(2_000)).toMatchObject([{ alarm: 'env.temperature', phase: 'raise', at: 0 }]);
    // Just under the limit is not back to normal yet.
    expect(w.reading('env', { ...normal, co2ppm: 1450, temperatureC: 29.8 }, 2_500)).toEqual([]);
    expect(w.reading('env', normal, 3_000)).toMatchObject([
      { alarm: 'env.co2-high', phase: 'clear' },
      { alarm: 'env.temperature', phase: 'clear' },
    ]);
  });

  it('a spike shorter than the sustained time raises nothing, nor does a sensor without CO2', () => {
    const w = new EnvironmentWatch(limits);
    w.reading('env', { ...normal, co2ppm: 2500, humidityPct: 90 }, 0);
    w.reading('env', normal, 900);
    expect(w.tick(5_000)).toEqual([]);
    w.reading('env2', { temperatureC: 22, humidityPct: 45 }, 0);
    expect(w.tick(10_000)).toEqual([]);
  });
});
