import { describe, expect, it } from 'vitest';
import type { Principal } from '@cr/shared';
import { TelemetryRecorder } from './telemetry-recorder';
import type { TelemetryMinute } from '../store/telemetry-minutes-store';
import type { TelemetryMinutesPort } from '../store/ports';

const EDGE: Principal = { kind: 'edge', tenantId: 'demo', siteId: 'gangnam' };
const OTHER_EDGE: Principal = { kind: 'edge', tenantId: 'demo', siteId: 'hongdae' };
const HQ: Principal = { kind: 'user', userId: 'hq', role: 'hq-operator', tenantId: 'demo', siteIds: [] };
const DOC = 'site:demo:gangnam';

function memoryStore(): TelemetryMinutesPort & { added: Array<[string, string, TelemetryMinute[]]> } {
  const added: Array<[string, string, TelemetryMinute[]]> = [];
  return { added, add: async (t, s, m) => void added.push([t, s, [...m]]), series: async () => [], deleteBefore: async () => 0 };
}
const reading = (temperatureC: number, ts: number) => ({ telemetry: { 'env-1': { state: { temperatureC, humidityPct: 40, ts }, ts } } });

describe('TelemetryRecorder', () => {
  it('folds the gateway’s readings into minutes, once each, and stores a minute when it is over', async () => {
    const store = memoryStore();
    let now = 120_000;
    const rec = new TelemetryRecorder(store, undefined, () => now);
    rec.observe(DOC, reading(20, 60_100), { principal: EDGE });
    rec.observe(DOC, reading(22, 60_200), { principal: EDGE });
    // A renewal of the same presence is not a new reading.
    rec.observe(DOC, reading(22, 60_200), { principal: EDGE });
    rec.observe(DOC, reading(25, 121_000), { principal: EDGE });
    expect(await rec.flush()).toBe(2);
    expect(store.added).toEqual([
      [
        'demo',
        'gangnam',
        [
          { deviceId: 'env-1', minute: 60_000, field: 'temperatureC', count: 2, sum: 42, min: 20, max: 22 },
          { deviceId: 'env-1', minute: 60_000, field: 'humidityPct', count: 2, sum: 80, min: 40, max: 40 },
        ],
      ],
    ]);
    now = 200_000;
    expect(await rec.flush()).toBe(2);
    expect(await rec.flush()).toBe(0);
  });

  it('ignores presence from a console or another site’s gateway', async () => {
    const store = memoryStore();
    const rec = new TelemetryRecorder(store, undefined, () => 1_000_000);
    rec.observe(DOC, reading(99, 60_100), { principal: HQ });
    rec.observe(DOC, reading(99, 60_100), { principal: OTHER_EDGE });
    rec.observe(DOC, reading(99, 60_100), 'cloud');
    rec.observe('tenant:demo', reading(99, 60_100), { principal: EDGE });
    expect(await rec.flush(Number.POSITIVE_INFINITY)).toBe(0);
    expect(store.added).toEqual([]);
  });
});
