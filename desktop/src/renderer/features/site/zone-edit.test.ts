import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SiteDoc, isId, type DeviceView, type Zone } from '@cr/shared';
import { devicesInZone, freeSpot, NEW_ZONE_SIZE, newZone, newZoneId, zoneNameProblem } from './zone-edit';

const rect = (id: string, name: string, x: number, y: number, w: number, h: number): Zone => ({ id, name, polygon: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]] });
// The demo floor plan: four rooms filling 0…1000 × 0…600.
const demo: Zone[] = [rect('lobby', '로비 Lobby', 0, 0, 300, 600), rect('lounge', 'Lounge', 300, 0, 300, 300), rect('meeting', 'Meeting', 600, 0, 400, 300), rect('office', 'Office', 300, 300, 700, 300)];

describe('zoneNameProblem', () => {
  it.each<[string, string | undefined]>([
    ['Server room', undefined],
    ['  Storage  ', undefined],
    ['', 'empty'],
    ['   ', 'empty'],
    ['x'.repeat(121), 'too-long'],
    ['lounge', 'duplicate'],
    [' LOUNGE ', 'duplicate'],
  ])('%j → %s', (name, problem) => expect(zoneNameProblem(name, demo)).toBe(problem));

  it('lets a zone keep its own name', () => {
    expect(zoneNameProblem('Lounge', demo, 'lounge')).toBeUndefined();
  });
});

describe('newZoneId', () => {
  it('is a valid contract id with a random part, distinct from existing ids', () => {
    const id = newZoneId(demo, 'A1B2-C3D4-e5f6');
    expect(id).toBe('zone-a1b2c3d4e5');
    expect(isId(id)).toBe(true);
    expect(newZoneId([...demo, rect(id, 'x', 0, 0, 10, 10)], 'A1B2-C3D4-e5f6')).toBe(`${id}-2`);
    expect(isId(newZoneId(demo, '---'))).toBe(true);
  });
});

describe('freeSpot', () => {
  it('puts the new outline where it touches no other zone', () => {
    const at = freeSpot(demo);
    const r = { ...at, ...NEW_ZONE_SIZE };
    for (const z of demo) {
      const xs = z.polygon.map((p) => p[0]);
      const ys = z.polygon.map((p) => p[1]);
      const apart = r.x >= Math.max(...xs) || r.x + r.width <= Math.min(...xs) || r.y >= Math.max(...ys) || r.y + r.height <= Math.min(...ys);
      expect(apart, z.id).toBe(true);
    }
    expect(at.y + NEW_ZONE_SIZE.height).toBeLessThanOrEqual(1000);
  });

  it('starts at the top-left of an empty plan and falls back to the centre of a full one', () => {
    expect(freeSpot([])).toEqual({ x: 0, y: 0 });
    expect(freeSpot([rect('all', 'All', 0, 0, 1000, 1000)])).toEqual({ x: 400, y: 425 });
  });
});

describe('newZone', () => {
  it('makes a valid rectangle with a trimmed name', () => {
    const z = newZone(demo, '  Server room ', 'abc123');
    expect(z).toMatchObject({ id: 'zone-abc123', name: 'Server room' });
    expect(z.polygon).toHaveLength(4);
  });

  it('refuses a name that is empty or already used', () => {
    expect(() => newZone(demo, ' ', 'r')).toThrow(/empty/);
    expect(() => newZone(demo, 'office', 'r')).toThrow(/duplicate/);
  });
});

describe('devicesInZone', () => {
  it('lists the devices assigned to the zone', () => {
    const devices = [{ id: 'pir-1', zoneId: 'lobby' }, { id: 'pir-2', zoneId: 'office' }, { id: 'cam-1' }] as DeviceView[];
    expect(devicesInZone('lobby', devices).map((d) => d.id)).toEqual(['pir-1']);
  });
});

describe('adding and removing zones through SiteDoc on two offline laptops', () => {
  it('keeps both new zones and the removal after the documents merge', () => {
    const hq = new Y.Doc();
    const siteDoc = new SiteDoc(hq);
    for (const z of demo) siteDoc.setZone(z);
    const laptop = new Y.Doc();
    Y.applyUpdate(laptop, Y.encodeStateAsUpdate(hq));

    const a = new SiteDoc(hq);
    const b = new SiteDoc(laptop);
    a.setZone(newZone(a.zones(), 'Storage', 'hq7f3a'));
    b.setZone(newZone(b.zones(), 'Phone booth', 'lt91c2'));
    b.removeZone('lounge');

    Y.applyUpdate(hq, Y.encodeStateAsUpdate(laptop));
    Y.applyUpdate(laptop, Y.encodeStateAsUpdate(hq));
    const names = (d: SiteDoc): string[] => d.zones().map((z) => z.name).sort();
    expect(names(a)).toEqual(['Meeting', 'Office', 'Phone booth', 'Storage', '로비 Lobby']);
    expect(names(b)).toEqual(names(a));
  });
});
