import { describe, expect, it } from 'vitest';
import { HvacWatch } from './hvac-watch';
import { PowerWatch } from './power-watch';
import { Flapping } from './flapping';
import { parseZoneCapacities, ZoneCapacity } from './zone-capacity';

describe('HVAC watch', () => {
  const on = { on: true, mode: 'cool', setpointC: 23, currentC: 23.2 };

  it('raises for a unit running in a zone empty long enough, and clears when it stops or someone comes in', () => {
    const w = new HvacWatch({ emptyZoneMs: 1_000, setpointMs: 60_000 });
    w.reading('hvac', 'office', on, 0);
    expect(w.tick(10, () => 999)).toEqual([]);
    expect(w.tick(20, () => 1_000)).toMatchObject([{ alarm: 'hvac.empty-zone', phase: 'raise', subject: 'hvac' }]);
    expect(w.tick(30, () => 2_000)).toEqual([]);
    expect(w.tick(40, () => undefined)).toMatchObject([{ alarm: 'hvac.empty-zone', phase: 'clear' }]);
    w.tick(50, () => 5_000);
    w.reading('hvac', 'office', { ...on, on: false }, 60);
    expect(w.tick(70, () => 5_000)).toMatchObject([{ alarm: 'hvac.empty-zone', phase: 'clear', message: 'unit stopped' }]);
  });

  it('raises when a running unit stays off its set-point, restarting the clock on a new set-point', () => {
    const w = new HvacWatch({ emptyZoneMs: 60_000, setpointMs: 1_000 });
    w.reading('hvac', 'office', { ...on, currentC: 27 }, 0);
    w.reading('hvac', 'office', { ...on, setpointC: 24, currentC: 27 }, 800);
    expect(w.tick(1_200, () => undefined)).toEqual([]);
    expect(w.tick(1_800, () => undefined)).toMatchObject([{ alarm: 'hvac.setpoint-missed', phase: 'raise', at: 800 }]);
    expect(w.reading('hvac', 'office', { ...on, setpointC: 24, currentC: 24.5 }, 2_000)).toMatchObject([{ alarm: 'hvac.setpoint-missed', phase: 'clear' }]);
  });
});

describe('power watch', () => {
  it('raises a draw above the limit held for the sustained time, never a short surge, and clears under 90 %', () => {
    const w = new PowerWatch(10_000, 1_000);
    w.reading('meter', 15_000, 0);
    w.reading('meter', 2_000, 500);
    expect(w.tick(5_000)).toEqual([]);
    w.reading('meter', 12_000, 6_000);
    expect(w.tick(7_000)).toMatchObject([{ phase: 'raise', subject: 'meter', at: 6_000 }]);
    expect(w.reading('meter', 9_500, 7_500)).toEqual([]);
    expect(w.reading('meter', 8_000, 8_000)).toMatchObject([{ phase: 'clear' }]);
  });
});

describe('flapping', () => {
  it('raises once when a device drops more than the allowed times within the window, and clears after a stable window', () => {
    const f = new Flapping(3, 10_000);
    const drops = [0, 1_000, 2_000, 3_000, 4_000, 5_000].map((t) => [...f.change('cam', true, t - 1), ...f.change('cam', false, t)]);
    expect(drops.flat()).toHaveLength(1);
    expect(drops[3]).toMatchObject([{ phase: 'raise', subject: 'cam', message: 'went offline 4 times within 0.2 min' }]);
    expect(f.tick(14_999)).toEqual([]);
    expect(f.tick(15_000)).toMatchObject([{ phase: 'clear', subject: 'cam' }]);
  });

  it('drops spread wider than the window are not flapping', () => {
    const f = new Flapping(3, 10_000);
    expect([0, 4_000, 8_000, 12_000, 16_000, 20_000].flatMap((t) => f.change('cam', false, t))).toEqual([]);
  });
});

describe('zone capacity', () => {
  it('parses ZONE=N pairs with a * default and refuses the rest', () => {
    expect(parseZoneCapacities('lobby=30, meeting=8,*=50')).toEqual({ lobby: 30, meeting: 8, '*': 50 });
    for (const bad of ['', 'lobby', 'lobby=0', 'lobby=-1', 'Lobby=3', 'lobby=3,lobby=4', 'lobby=3;meeting=4']) expect(parseZoneCapacities(bad)).toBeUndefined();
  });

  it('raises a zone with more people than its capacity and clears it at or under the limit; zones without one are not watched', () => {
    const c = new ZoneCapacity({ meeting: 8 });
    expect(c.check({ meeting: 8, lobby: 100 }, 0)).toEqual([]);
    expect(c.check({ meeting: 9 }, 1)).toMatchObject([{ phase: 'raise', subject: 'meeting', message: '9 people in meeting, capacity 8' }]);
    expect(c.check({ meeting: 12 }, 2)).toEqual([]);
    expect(c.check({}, 3)).toMatchObject([{ phase: 'clear', subject: 'meeting' }]);
  });
});
