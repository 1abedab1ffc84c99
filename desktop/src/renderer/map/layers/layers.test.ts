import { describe, expect, it } from 'vitest';
import { generatedSites } from '../../features/overview/load-test';
import { TONE_RGB, type SiteRow } from '../../features/overview/site-rows';
import { DISTRICTS, SEOUL_BASE_MAP } from './base-map';
import { buildSiteLayers, ringedSites } from './site-layers';

const rows: SiteRow[] = generatedSites(200);
rows[3] = { ...rows[3]!, openAlerts: 2, worstSeverity: 'critical' };
rows[7] = { ...rows[7]!, mode: 'lockdown' };

type Accessor<T> = (d: SiteRow) => T;

describe('buildSiteLayers', () => {
  it('builds layers with stable ids and the rows as data', () => {
    const a = buildSiteLayers(rows, { hoveredId: undefined, selectedId: undefined });
    const b = buildSiteLayers(rows, { hoveredId: 'load-001', selectedId: undefined });
    expect(a.map((l) => l.id)).toEqual(['site-rings', 'site-markers']);
    expect(b.map((l) => l.id)).toEqual(a.map((l) => l.id));
    expect(a[1]!.props.data).toBe(rows);
  });

  it('memoises derived data so a hover does not re-upload the rings', () => {
    const a = buildSiteLayers(rows, { hoveredId: undefined, selectedId: undefined });
    const b = buildSiteLayers(rows, { hoveredId: 'load-005', selectedId: undefined });
    expect(b[0]!.props.data).toBe(a[0]!.props.data);
    expect(ringedSites(rows).map((r) => r.id)).toEqual(['load-003', 'load-007']);
  });

  it('changes only the radius trigger on hover', () => {
    const a = buildSiteLayers(rows, { hoveredId: undefined, selectedId: undefined });
    const b = buildSiteLayers(rows, { hoveredId: 'load-005', selectedId: undefined });
    const ta = a[1]!.props.updateTriggers as Record<string, unknown>;
    const tb = b[1]!.props.updateTriggers as Record<string, unknown>;
    expect(ta.getRadius).not.toEqual(tb.getRadius);
    const radius = (b[1]!.props as unknown as { getRadius: Accessor<number> }).getRadius;
    expect(radius(rows[5]!)).toBeGreaterThan(radius(rows[6]!));
  });

  it('colours markers by status: critical red, offline grey', () => {
    const layer = buildSiteLayers(rows, { hoveredId: undefined, selectedId: undefined })[1]!;
    const fill = (layer.props as unknown as { getFillColor: Accessor<number[]> }).getFillColor;
    expect(fill({ ...rows[3]!, online: true })).toEqual(TONE_RGB.critical);
    expect(fill({ ...rows[0]!, online: false })).toEqual([60, 64, 72]);
  });

  it('uses one layer type and leaves picking to the CPU', () => {
    const layers = buildSiteLayers(rows, { hoveredId: undefined, selectedId: undefined });
    expect(new Set(layers.map((l) => l.constructor.name)).size).toBe(1);
    expect(layers.every((l) => !l.props.pickable)).toBe(true);
  });
});

describe('offline base map', () => {
  it('has the 25 districts of Seoul and the Han river, each a closed polygon', () => {
    expect(DISTRICTS).toHaveLength(25);
    expect(SEOUL_BASE_MAP.features.some((f) => f.properties.river)).toBe(true);
    for (const f of DISTRICTS) {
      expect(f.geometry.type).toBe('Polygon');
      const ring = f.geometry.coordinates[0] as [number, number][];
      expect(ring.length, f.properties.id).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring.at(-1));
    }
  });
});
