import { describe, expect, it } from 'vitest';
import { markerBox, placeDistrictLabels, placeSiteLabels, siteLabelBox, textWidthPx } from './label-layout';

describe('placeDistrictLabels', () => {
  const name = { id: 'ydp', text: 'Yeongdeungpo', x: 400, y: 300 };

  it('keeps a name where it is when nothing covers it', () => {
    expect(placeDistrictLabels([name], [markerBox(600, 300)])).toEqual([name]);
  });

  it('moves a name off a marker that would cover it', () => {
    const [placed] = placeDistrictLabels([name], [markerBox(420, 300)]);
    expect(placed).toBeDefined();
    expect(Math.abs(placed!.y - 300)).toBeGreaterThan(0);
  });

  it('leaves a name out when every nearby spot is covered', () => {
    expect(placeDistrictLabels([name], [markerBox(400, 276), markerBox(400, 300), markerBox(400, 324)])).toEqual([]);
  });

  it('never lets two names overlap', () => {
    const placed = placeDistrictLabels([name, { ...name, id: 'other' }], []);
    expect(placed).toHaveLength(2);
    expect(placed[0]!.y).not.toBe(placed[1]!.y);
  });

  it('avoids site labels above markers', () => {
    const [placed] = placeDistrictLabels([{ ...name, y: 271 }], [siteLabelBox(400, 300, '여의도점 Yeouido')]);
    expect(placed?.y ?? 0).not.toBe(271);
  });
});

describe('textWidthPx', () => {
  it('counts Hangul about one em wide and Latin narrower', () => {
    expect(textWidthPx('영등포구', 10)).toBe(40);
    expect(textWidthPx('Mapo', 10)).toBeCloseTo(24);
  });
});

describe('placeSiteLabels', () => {
  const site = (id: string, x: number, y: number) => ({ id, text: `Site ${id}`, x, y });

  it('puts names above markers that are far apart', () => {
    expect(placeSiteLabels([site('a', 100, 100), site('b', 400, 100)]).map((l) => [l.id, l.below])).toEqual([['a', false], ['b', false]]);
  });

  it('puts a name below its marker when the space above is taken, and leaves it out when both are', () => {
    const placed = placeSiteLabels([site('a', 100, 100), site('b', 110, 112)]);
    expect(placed.map((l) => [l.id, l.below])).toEqual([['a', false], ['b', true]]);
    const crowded = placeSiteLabels([site('a', 100, 100), site('b', 100, 100), site('c', 104, 100)]);
    expect(crowded.map((l) => l.id)).toEqual(['a', 'b']);
  });

  it('never covers another marker', () => {
    const placed = placeSiteLabels([site('a', 100, 100), site('b', 100, 70)]);
    expect(placed.find((l) => l.id === 'a')?.below).toBe(true);
  });
});
