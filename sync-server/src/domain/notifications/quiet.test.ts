import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertView } from '@cr/shared';
import type { SilenceRecord } from '../../store/notification-records';
import { activeSilenceOf, GROUP_WINDOW_MS, inhibitionOf, OUTAGE_LEAD_MS, seenDuringSilence } from './quiet';

const alert = (id: string, type: string, raisedAt: number, over: Partial<AlertView> = {}): AlertView =>
  ({ id, siteId: 'gangnam', type, severity: 'minor', raisedAt, source: 'edge', category: 'facility', state: 'open', acks: [], notes: [], assignments: [], resolutions: [], causes: [], causeCleared: false, ...over }) as AlertView;

const silence = (over: Partial<SilenceRecord> = {}): SilenceRecord => ({
  tenantId: 'demo', id: 's1', siteId: 'gangnam', startsAt: 1_000, endsAt: 5_000, reason: 'works', authorId: 'u', authorName: 'U', createdAt: 0, ...over,
});

describe('silences', () => {
  it('cover their site, device and types while in force, and stop when ended early', () => {
    const door = alert('a', 'door.forced', 2_000, { deviceId: 'door-1' });
    expect(activeSilenceOf([silence()], door, 2_000)?.id).toBe('s1');
    expect(activeSilenceOf([silence()], door, 999)).toBeUndefined();
    expect(activeSilenceOf([silence()], door, 5_000)).toBeUndefined();
    expect(activeSilenceOf([silence({ endedAt: 1_500 })], door, 2_000)).toBeUndefined();
    expect(activeSilenceOf([silence({ siteId: 'hongdae' })], door, 2_000)).toBeUndefined();
    expect(activeSilenceOf([silence({ deviceId: 'door-2' })], door, 2_000)).toBeUndefined();
    expect(activeSilenceOf([silence({ types: ['fire.alarm'] })], door, 2_000)).toBeUndefined();
    const longer = silence({ id: 's2', endsAt: 9_000 });
    expect(activeSilenceOf([silence(), longer], door, 2_000)?.id).toBe('s2');
  });

  it('an alert raised under a silence needs no telling once a person saw it', () => {
    expect(seenDuringSilence([silence()], alert('a', 'door.forced', 2_000, { state: 'acknowledged' }))).toBe(true);
    expect(seenDuringSilence([silence()], alert('a', 'door.forced', 2_000))).toBe(false);
    expect(seenDuringSilence([silence()], alert('a', 'door.forced', 6_000, { state: 'acknowledged' }))).toBe(false);
  });
});

describe('inhibition', () => {
  const outage = (raisedAt: number, clearedAt?: number) =>
    alert('off', 'site.offline', raisedAt, { source: 'cloud', causes: clearedAt ? [{ state: 'cleared', by: 'cloud', at: clearedAt }] : [] });

  it('a site outage explains the devices that dropped just before it and while it lasted, not after', () => {
    const off = outage(100_000, 200_000);
    const dev = (at: number) => alert(`d${at}`, 'device.offline', at);
    expect(inhibitionOf(dev(100_000 - OUTAGE_LEAD_MS), [off], 300_000)).toMatch(/offline/);
    expect(inhibitionOf(dev(150_000), [off], 300_000)).toMatch(/offline/);
    expect(inhibitionOf(dev(100_000 - OUTAGE_LEAD_MS - 1), [off], 300_000)).toBeUndefined();
    expect(inhibitionOf(dev(200_001), [off], 300_000)).toBeUndefined();
    // Security and safety alarms are never inhibited.
    expect(inhibitionOf(alert('f', 'door.forced', 150_000), [off], 300_000)).toBeUndefined();
  });

  it('an outage that came back counts again; an open one lasts until now', () => {
    const back = alert('off', 'site.offline', 0, { causes: [{ state: 'cleared', by: 'cloud', at: 10_000 }, { state: 'active', by: 'cloud', at: 500_000 }] });
    expect(inhibitionOf(alert('d', 'device.offline', 600_000), [back], 700_000)).toMatch(/offline/);
    expect(inhibitionOf(alert('d', 'device.offline', 300_000), [back], 700_000)).toBeUndefined();
  });

  it('bursts: exactly one alert per window is notified, the first of each, whatever the order they arrive in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 1, maxLength: 60 }), fc.integer(), (times, seed) => {
        const alerts = times.map((at, i) => alert(`a${String(i).padStart(3, '0')}`, 'device.offline', at));
        const shuffled = [...alerts].sort((x, y) => ((x.raisedAt * 31 + seed) % 97) - ((y.raisedAt * 31 + seed) % 97));
        const told = alerts.filter((a) => inhibitionOf(a, shuffled, 700_000) === undefined).sort((x, y) => x.raisedAt - y.raisedAt);
        // The first alert is always told; told alerts lie more than a window apart; every other
        // alert lies within a window after a told one.
        const first = [...alerts].sort((x, y) => x.raisedAt - y.raisedAt || (x.id < y.id ? -1 : 1))[0]!;
        expect(told[0]!.id).toBe(first.id);
        for (let i = 1; i < told.length; i++) expect(told[i]!.raisedAt - told[i - 1]!.raisedAt).toBeGreaterThan(GROUP_WINDOW_MS);
        for (const a of alerts) expect(told.some((t) => t.raisedAt <= a.raisedAt && a.raisedAt - t.raisedAt <= GROUP_WINDOW_MS)).toBe(true);
      }),
      { seed: 1207, numRuns: 300 },
    );
  });
});
