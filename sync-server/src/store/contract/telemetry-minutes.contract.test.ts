import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { TelemetryMinutesStore, type TelemetryMinute } from '../telemetry-minutes-store';
import { PgTelemetryMinutesStore } from '../postgres/pg-telemetry-minutes-store';
import { sqlitePort, type TelemetryMinutesPort } from '../ports';

const storeOf = (b: Backend): TelemetryMinutesPort =>
  b.kind === 'sqlite' ? sqlitePort(new TelemetryMinutesStore(b.db)) : new PgTelemetryMinutesStore(b.pg);

const minute = (deviceId: string, at: number, field: string, values: number[]): TelemetryMinute => ({
  deviceId,
  minute: at,
  field,
  count: values.length,
  sum: values.reduce((a, b) => a + b, 0),
  min: Math.min(...values),
  max: Math.max(...values),
});

describeBackends('telemetry minutes store', (current) => {
  it('keeps minutes per tenant, site, device and field; merges a minute added twice', async () => {
    const store = storeOf(current());
    await store.add('t1', 'gangnam', [minute('env-1', 60_000, 'temperatureC', [21.5, 22]), minute('env-1', 60_000, 'humidityPct', [40])]);
    await store.add('t1', 'gangnam', [minute('env-1', 60_000, 'temperatureC', [20.25]), minute('env-1', 120_000, 'temperatureC', [23])]);
    await store.add('t1', 'hongdae', [minute('env-1', 60_000, 'temperatureC', [30])]);
    await store.add('t2', 'gangnam', [minute('env-1', 60_000, 'temperatureC', [10])]);

    expect(await store.series('t1', 'gangnam', 'env-1', 0, 180_000)).toEqual([
      minute('env-1', 60_000, 'humidityPct', [40]),
      minute('env-1', 60_000, 'temperatureC', [21.5, 22, 20.25]),
      minute('env-1', 120_000, 'temperatureC', [23]),
    ]);
    expect(await store.series('t1', 'gangnam', 'env-1', 120_000, 180_000)).toEqual([minute('env-1', 120_000, 'temperatureC', [23])]);
    expect(await store.series('t1', 'gangnam', 'env-1', 0, 60_000)).toEqual([]);
    expect(await store.series('t3', 'gangnam', 'env-1', 0, 180_000)).toEqual([]);
    expect(await store.series('t1', 'gangnam', 'power-1', 0, 180_000)).toEqual([]);
  });

  it('prunes minutes older than a time', async () => {
    const store = storeOf(current());
    await store.add('t1', 'gangnam', [minute('power-1', 60_000, 'watts', [100]), minute('power-1', 600_000, 'watts', [250, 300])]);
    expect(await store.deleteBefore(120_000)).toBe(1);
    expect(await store.series('t1', 'gangnam', 'power-1', 0, 1_000_000)).toEqual([minute('power-1', 600_000, 'watts', [250, 300])]);
  });
});
