import { memo, useMemo, useState } from 'react';
import { siteTone, TONE_RGB, type SiteRow } from '../features/overview/site-rows';
import { SEOUL_BASE_MAP } from './layers/base-map';
import type { OverviewMapProps } from './DeckOverviewMap';
import { seoulProjection } from './projection';
import { SiteTooltip } from './SiteTooltip';

const rgb = (c: readonly number[]): string => `rgb(${c.join(',')})`;
const PROJ = seoulProjection(1000);

const BaseMap = memo(function BaseMap({ lang }: { lang: 'ko' | 'en' }) {
  return (
    <g className="svg-base">
      {SEOUL_BASE_MAP.features.map((f) => {
        if (f.geometry.type === 'LineString') {
          const d = f.geometry.coordinates.map(([x, y], i) => `${i ? 'L' : 'M'}${PROJ.project(x, y).join(',')}`).join('');
          return <path key={f.properties.id} d={d} className="svg-river" />;
        }
        const d = f.geometry.coordinates[0]!.map(([x, y], i) => `${i ? 'L' : 'M'}${PROJ.project(x, y).join(',')}`).join('') + 'Z';
        const [cx, cy] = PROJ.project(...(f.properties.centre ?? [0, 0]));
        return (
          <g key={f.properties.id}>
            <path d={d} className="svg-district" />
            <text x={cx} y={cy} className="svg-district-name">
              {lang === 'ko' ? f.properties.nameKo : f.properties.nameEn}
            </text>
          </g>
        );
      })}
    </g>
  );
});

/** Fallback overview without WebGL (old GPU, remote desktop): the same base map and markers in SVG. */
export function SvgOverviewMap({ sites, lang, selectedId, onOpen }: OverviewMapProps) {
  const [hover, setHover] = useState<{ site: SiteRow; x: number; y: number } | undefined>();
  const markers = useMemo(
    () =>
      sites.map((s) => {
        const [x, y] = PROJ.project(s.lng, s.lat);
        const tone = siteTone(s);
        return { s, x, y, tone };
      }),
    [sites],
  );
  return (
    <div className="map-canvas" data-testid="overview-map" data-renderer="svg">
      <svg viewBox={`0 0 ${PROJ.width} ${PROJ.height}`} className="svg-map" role="img" aria-hidden="true">
        <BaseMap lang={lang} />
        {markers.map(({ s, x, y, tone }) => (
          <circle
            key={s.id}
            cx={x}
            cy={y}
            r={s.id === selectedId || s.id === hover?.site.id ? 11 : 8}
            fill={s.online === false ? '#3c4048' : rgb(TONE_RGB[tone])}
            stroke={s.openAlerts > 0 ? rgb(TONE_RGB[tone]) : '#0c1016'}
            strokeWidth={s.openAlerts > 0 ? 6 : 2}
            strokeOpacity={s.openAlerts > 0 ? 0.5 : 1}
            className="svg-site"
            onMouseMove={(e) => setHover({ site: s, x: e.nativeEvent.offsetX, y: e.nativeEvent.offsetY })}
            onMouseLeave={() => setHover(undefined)}
            onClick={() => onOpen(s.id)}
          />
        ))}
      </svg>
      {hover && <SiteTooltip site={hover.site} x={hover.x} y={hover.y} />}
    </div>
  );
}
