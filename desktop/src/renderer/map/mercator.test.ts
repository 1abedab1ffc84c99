import { describe, expect, it } from 'vitest';
import { WebMercatorViewport } from '@deck.gl/core';
import { generatedSites } from '../features/overview/load-test';
import { projectLngLat, viewTransform } from './mercator';
import { pickSite } from './pick-site';

describe('viewTransform', () => {
  it.each([
    { longitude: 126.985, latitude: 37.56, zoom: 10.4 },
    { longitude: 127.05, latitude: 37.5, zoom: 14.25 },
    { longitude: 126.8, latitude: 37.65, zoom: 9 },
  ])('puts points where deck.gl draws them (%j)', (view) => {
    const width = 1240;
    const height = 830;
    const deck = new WebMercatorViewport({ ...view, width, height });
    const t = viewTransform(view, width, height);
    for (const [lng, lat] of [[126.9, 37.45], [127.1, 37.7], [view.longitude, view.latitude]] as const) {
      const [x, y] = deck.project([lng, lat]);
      const [mx, my] = projectLngLat(t, lng, lat);
      expect(mx).toBeCloseTo(x!, 3);
      expect(my).toBeCloseTo(y!, 3);
    }
  });
});

describe('pickSite', () => {
  const rows = generatedSites(200);
  const t = viewTransform({ longitude: 126.985, latitude: 37.56, zoom: 10.4 }, 1240, 830);

  it('finds the marker under the pointer', () => {
    const target = rows[42]!;
    const [x, y] = projectLngLat(t, target.lng, target.lat);
    expect(pickSite(rows, t, x + 3, y - 2, 14)?.id).toBe(pickSite(rows, t, x, y, 0.5)?.id ?? target.id);
    expect(pickSite(rows, t, x, y, 14)).toBeDefined();
  });

  it('finds nothing away from every marker', () => {
    expect(pickSite(rows, t, -500, -500, 14)).toBeUndefined();
  });

  it('prefers the nearest of two close markers', () => {
    const a = { ...rows[0]!, id: 'a', lng: 127, lat: 37.5 };
    const b = { ...rows[0]!, id: 'b', lng: 127.0005, lat: 37.5 };
    const [bx, by] = projectLngLat(t, b.lng, b.lat);
    expect(pickSite([a, b], t, bx + 0.5, by, 14)?.id).toBe('b');
    expect(pickSite([b, a], t, bx + 0.5, by, 14)?.id).toBe('b');
  });
});
