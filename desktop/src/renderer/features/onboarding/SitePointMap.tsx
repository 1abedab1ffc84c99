import { memo, type MouseEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { SEOUL_BASE_MAP, SEOUL_BOUNDS } from '../../map/layers/base-map';
import { seoulProjection } from '../../map/projection';

const PROJ = seoulProjection(600);

/** A point on the preview back to coordinates, to 5 decimals (about a metre). */
export function pointToLngLat(x: number, y: number): { lat: number; lng: number } {
  const lng = SEOUL_BOUNDS.west + (x / PROJ.width) * (SEOUL_BOUNDS.east - SEOUL_BOUNDS.west);
  const lat = SEOUL_BOUNDS.north - (y / PROJ.height) * (SEOUL_BOUNDS.north - SEOUL_BOUNDS.south);
  return { lat: Math.round(lat * 1e5) / 1e5, lng: Math.round(lng * 1e5) / 1e5 };
}

const insideMap = (lat: number, lng: number): boolean =>
  lat >= SEOUL_BOUNDS.south && lat <= SEOUL_BOUNDS.north && lng >= SEOUL_BOUNDS.west && lng <= SEOUL_BOUNDS.east;

const ringPath = (ring: readonly (readonly [number, number])[], close: boolean): string =>
  ring.map(([x, y], i) => `${i ? 'L' : 'M'}${PROJ.project(x, y).map((v) => v.toFixed(1)).join(',')}`).join('') + (close ? 'Z' : '');

/** Computed once: the offline base map never changes. */
const SHAPES = SEOUL_BASE_MAP.features.map((f) => ({
  id: f.properties.id,
  river: f.geometry.type === 'LineString',
  d: f.geometry.type === 'LineString' ? ringPath(f.geometry.coordinates, false) : ringPath(f.geometry.coordinates[0] ?? [], true),
  label: f.properties.centre ? { at: PROJ.project(...f.properties.centre), ko: f.properties.nameKo, en: f.properties.nameEn } : undefined,
}));

const BaseMap = memo(function BaseMap({ lang }: { lang: 'ko' | 'en' }) {
  return (
    <g>
      {SHAPES.map((s) => (
        <g key={s.id}>
          <path d={s.d} className={s.river ? 'svg-river' : 'svg-district'} />
          {s.label && (
            <text x={s.label.at[0]} y={s.label.at[1]} className="svg-district-name">
              {lang === 'ko' ? s.label.ko : s.label.en}
            </text>
          )}
        </g>
      ))}
    </g>
  );
});

/**
 * The new site's point on the offline Seoul map, beside the other sites of the tenant. Clicking
 * the map sets the coordinates; they can always be typed instead (the map is only Seoul).
 */
export function SitePointMap({
  lat,
  lng,
  others,
  onPick,
}: {
  lat: number | undefined;
  lng: number | undefined;
  others: ReadonlyArray<{ id: string; lat: number; lng: number }>;
  onPick: (p: { lat: number; lng: number }) => void;
}) {
  const { t, lang } = useI18n();
  const known = lat !== undefined && lng !== undefined && Number.isFinite(lat) && Number.isFinite(lng);
  const shown = known && insideMap(lat, lng) ? { lat, lng } : undefined;
  const [x, y] = shown ? PROJ.project(shown.lng, shown.lat) : [0, 0];
  const pick = (e: MouseEvent<SVGSVGElement>): void => {
    const box = e.currentTarget.getBoundingClientRect();
    if (!box.width || !box.height) return;
    onPick(pointToLngLat(((e.clientX - box.left) / box.width) * PROJ.width, ((e.clientY - box.top) / box.height) * PROJ.height));
  };
  return (
    <figure className="onboarding-map" data-testid="onboarding-map">
      <svg
        viewBox={`0 0 ${PROJ.width} ${PROJ.height.toFixed(0)}`}
        role="img"
        aria-label={shown ? t('onboarding.map.at', { lat: shown.lat.toFixed(5), lng: shown.lng.toFixed(5) }) : t('onboarding.map.none')}
        onClick={pick}
        data-testid="onboarding-map-canvas"
      >
        <BaseMap lang={lang} />
        {others.filter((o) => insideMap(o.lat, o.lng)).map((o) => {
          const [ox, oy] = PROJ.project(o.lng, o.lat);
          return <circle key={o.id} cx={ox} cy={oy} r={4} className="onboarding-map-other" />;
        })}
        {shown && (
          <g data-testid="onboarding-map-point">
            <circle cx={x} cy={y} r={14} className="onboarding-map-halo" />
            <circle cx={x} cy={y} r={6} className="onboarding-map-point" />
          </g>
        )}
      </svg>
      <figcaption className="muted small">
        {known && !shown ? t('onboarding.map.outside') : t('onboarding.map.help')}
      </figcaption>
    </figure>
  );
}
