import { afterEach, describe, expect, it } from 'vitest';
import { SITE_MAPS, type SiteEvent } from '@cr/shared';
import { FleetSite } from './fleet-site';

/** A repeatable random sequence, so the mix is the same on every run. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

describe('FleetSite', () => {
  const sites: FleetSite[] = [];
  afterEach(() => {
    for (const s of sites.splice(0)) {
      try {
        s.close();
      } catch {
        // the document sync's own teardown; what is tested here is what the site wrote
      }
    }
  });

  /** A site whose document sync points nowhere (port 1): only what the edge's code writes locally is looked at. */
  function site(events: SiteEvent[]): FleetSite {
    const s = new FleetSite('bench-001', 0, 'http://127.0.0.1:1', 'no-token', { record: (e) => events.push(...e), close: () => undefined }, seeded(7));
    sites.push(s);
    return s;
  }

  it('sends the simulator mix of swipes and motion up the link at the offered rate', () => {
    const events: SiteEvent[] = [];
    const s = site(events);
    s.announce(1_000);
    for (let t = 0; t < 100; t++) s.tick(100, 1_000 + t * 100);
    // 100 events/s for 10 s: 70 % are events (swipes and motion), 30 % readings
    expect(s.counts.swipes + s.counts.motion + s.counts.readings).toBe(1000);
    expect(events).toHaveLength(s.counts.swipes + s.counts.motion);
    expect(s.counts.swipes / 1000).toBeGreaterThan(0.22);
    expect(s.counts.swipes / 1000).toBeLessThan(0.38);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['access.granted', 'access.denied', 'motion']));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('writes door states into the document through the edge writer and keeps readings out of it', () => {
    const s = site([]);
    s.announce(1_000);
    for (let t = 0; t < 100; t++) s.tick(100, 1_000 + t * 100);
    s.writer.flush(20_000);
    const state = s.doc.getMap(SITE_MAPS.state);
    const probe = state.get(s.probeDoor.spec.id) as { state: { locked: boolean }; ts: number };
    expect(probe.state).toMatchObject({ open: false });
    expect(s.counts.probes).toBeGreaterThan(5);
    // Environment sensors only ever report readings: the edge keeps them in its live telemetry.
    expect(state.get('env-x26')).toBeUndefined();
    expect(s.writer.telemetry.get('env-x26')?.state).toHaveProperty('temperatureC');
  });
});
