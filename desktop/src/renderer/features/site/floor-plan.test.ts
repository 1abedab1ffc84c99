import { describe, expect, it } from 'vitest';
import type { DeviceView, Zone } from '@cr/shared';
import { clampToPlan, doorLook, moveVertex, placedDevices, planBounds } from './floor-plan';

const zone: Zone = { id: 'lobby', name: 'Lobby', polygon: [[0, 0], [300, 0], [300, 600], [0, 600]] };
const door = (p: Partial<DeviceView>): DeviceView => ({ id: 'door-lobby', kind: 'door', name: 'Lobby door', online: true, ...p });

describe('doorLook', () => {
  it.each<[Partial<DeviceView>, string]>([
    [{ state: { locked: true, open: false } }, 'locked'],
    [{ state: { locked: false, open: false } }, 'unlocked'],
    [{ state: { locked: false, open: true } }, 'open'],
    [{ state: { locked: true, open: true } }, 'open'],
    [{ online: false, state: { locked: true, open: false } }, 'offline'],
    [{ state: undefined }, 'unknown'],
    [{ state: { locked: 'yes' } }, 'unknown'],
  ])('%j → %s', (p, look) => expect(doorLook(door(p))).toBe(look));
});

describe('plan geometry', () => {
  it('bounds the zones with a margin, or uses the default plan', () => {
    expect(planBounds([zone], 10)).toEqual({ x: -10, y: -10, width: 320, height: 620 });
    expect(planBounds([])).toEqual({ x: 0, y: 0, width: 1000, height: 600 });
  });
  it('keeps dragged pins inside the plan (positionSchema is 0…1000)', () => {
    expect(clampToPlan({ x: -20, y: 1200.4 })).toEqual({ x: 0, y: 1000 });
  });
  it('moves one vertex of a zone and leaves the rest', () => {
    const moved = moveVertex(zone, 1, { x: 320.6, y: -5 });
    expect(moved.polygon).toEqual([[0, 0], [321, 0], [300, 600], [0, 600]]);
    expect(zone.polygon[1]).toEqual([300, 0]);
  });
  it('places unpinned devices along the bottom so they can be dragged into place', () => {
    const placed = placedDevices([door({ position: { x: 5, y: 6 } }), door({ id: 'pir-1', kind: 'pir' })], { x: 0, y: 0, width: 1000, height: 600 });
    expect(placed[0]).toMatchObject({ at: { x: 5, y: 6 }, pinned: true });
    expect(placed[1]).toMatchObject({ pinned: false });
    expect(placed[1]!.at.y).toBeGreaterThan(500);
  });
});
