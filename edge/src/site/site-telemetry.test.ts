import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { SiteDoc } from '@cr/shared';
import { SiteWriter } from './site-writer';
import type { TelemetryOutlet } from './site-telemetry';

function outlet(): TelemetryOutlet & { states: Array<Record<string, unknown> | null> } {
  const states: Array<Record<string, unknown> | null> = [];
  return { states, setLocalState: (s) => void states.push(s) };
}

describe('SiteWriter and the live telemetry', () => {
  it('keeps a burst of readings out of the document and announces them at most once a second', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      const doc = new Y.Doc();
      const site = new SiteWriter(doc, 'gangnam', 0);
      site.upsertDevice({ id: 'env-1', kind: 'env', name: 'Climate' }, Date.now());
      site.upsertDevice({ id: 'door-1', kind: 'door', name: 'Lobby' }, Date.now());
      const out = outlet();
      site.telemetry.attach(out);
      let updates = 0;
      doc.on('update', () => updates++);
      for (let i = 0; i < 50; i++) {
        site.setState('env-1', 'env', { temperatureC: 20 + i / 10, humidityPct: 40, ts: Date.now() }, Date.now(), Date.now());
        vi.advanceTimersByTime(20);
      }
      vi.advanceTimersByTime(1_000);
      expect(updates).toBe(0);
      expect(new SiteDoc(doc).deviceState('env-1')).toBeUndefined();
      // The first announcement on attach, one at the first reading, then one per second of the burst.
      expect(out.states.length).toBeLessThanOrEqual(4);
      expect(out.states.at(-1)).toEqual({ telemetry: { 'env-1': { state: { temperatureC: 24.9, humidityPct: 40, ts: expect.any(Number) }, ts: expect.any(Number) } } });
      expect(site.devices().find((d) => d.id === 'env-1')?.state?.temperatureC).toBe(24.9);

      // Nothing changed, nothing announced.
      const announced = out.states.length;
      vi.advanceTimersByTime(5_000);
      expect(out.states.length).toBe(announced);

      // A door's lock is durable: one document write; its battery alone is a reading.
      site.setState('door-1', 'door', { locked: true, open: false, battery: 90, ts: 1 }, 1, Date.now());
      expect(updates).toBe(1);
      site.setState('door-1', 'door', { locked: true, open: false, battery: 89, ts: 2 }, 2, Date.now());
      expect(updates).toBe(1);
      expect(site.devices().find((d) => d.id === 'door-1')).toMatchObject({ state: { battery: 89 }, stateAt: 2 });
      site.setState('door-1', 'door', { locked: false, open: false, battery: 89, ts: 3 }, 3, Date.now());
      expect(updates).toBe(2);
      expect(new SiteDoc(doc).deviceState('door-1')?.state.locked).toBe(false);
      expect(site.telemetry.get('door-1')).toBeUndefined();
      site.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets a removed device’s reading', () => {
    const site = new SiteWriter(new Y.Doc(), 'gangnam', 0, 0);
    site.setState('pir-1', 'pir', { motion: true, occupancy: 2, ts: 5 }, 5, 5);
    expect(site.telemetry.snapshot()).toHaveProperty('pir-1');
    site.removeDevice('pir-1');
    expect(site.telemetry.snapshot()).toEqual({});
    site.close();
  });
});
