import { memo } from 'react';
import { DISTRICTS, SEOUL_BASE_MAP, SEOUL_VIEW, type BaseFeature } from './layers/base-map';
import type { ScreenLabel } from './label-layout';
import { lngLatToWorld, worldToScreen, type ViewTransform } from './mercator';

// Paths are kept relative to the centre of Seoul: small numbers keep SVG's float32 geometry exact when zoomed in.
const ORIGIN = lngLatToWorld(SEOUL_VIEW.longitude, SEOUL_VIEW.latitude);

function pathOf(f: BaseFeature): string {
  const ring = f.geometry.type === 'Polygon' ? (f.geometry.coordinates[0] ?? []) : f.geometry.coordinates;
  const d = ring
    .map(([lng, lat], i) => {
      const [wx, wy] = lngLatToWorld(lng, lat);
      return `${i ? 'L' : 'M'}${(wx - ORIGIN[0]).toFixed(6)},${(wy - ORIGIN[1]).toFixed(6)}`;
    })
    .join('');
  return f.geometry.type === 'Polygon' ? `${d}Z` : d;
}

/** Computed once: the base map never changes, only the transform that places it. */
const SHAPES = SEOUL_BASE_MAP.features.map((f) => ({ id: f.properties.id, river: !!f.properties.river, d: pathOf(f) }));
const LABELS = DISTRICTS.map((f) => ({ id: f.properties.id, ko: f.properties.nameKo, en: f.properties.nameEn, world: lngLatToWorld(...(f.properties.centre ?? [0, 0])) }));

/** District names at their centres on screen, before they are placed clear of markers. */
export function districtLabelsOnScreen(t: ViewTransform, lang: 'ko' | 'en'): ScreenLabel[] {
  return LABELS.map((l) => {
    const [x, y] = worldToScreen(t, l.world);
    return { id: l.id, text: (lang === 'ko' ? l.ko : l.en) ?? l.id, x: Math.round(x), y: Math.round(y) };
  });
}

/**
 * The offline Seoul base map (districts, Han river, district names) as SVG under the WebGL canvas.
 * It is static, so it needs no GPU: on software GL every WebGL layer costs a pipeline compile of
 * about a second and a full-canvas fill on every redraw, while this only moves with the view.
 */
export const BaseMapSvg = memo(function BaseMapSvg({ t, labels }: { t: ViewTransform; labels: readonly ScreenLabel[] }) {
  const matrix = `matrix(${t.scale} 0 0 ${-t.scale} ${t.x0 + ORIGIN[0] * t.scale} ${t.y0 - ORIGIN[1] * t.scale})`;
  return (
    <svg className="base-map" aria-hidden="true">
      <g transform={matrix}>
        {SHAPES.map((s) => (
          <path key={s.id} d={s.d} className={s.river ? 'base-river' : 'base-district'} />
        ))}
      </g>
      <g>
        {labels.map((l) => (
          <text key={l.id} x={l.x} y={l.y} className="base-district-name">
            {l.text}
          </text>
        ))}
      </g>
    </svg>
  );
});
