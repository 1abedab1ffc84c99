import { ScatterplotLayer } from '@deck.gl/layers';
import { siteTone, TONE_RGB, type SiteRow } from '../../features/overview/site-rows';

export interface SiteLayerOptions {
  hoveredId: string | undefined;
  selectedId: string | undefined;
}

const alertingCache = new WeakMap<readonly SiteRow[], SiteRow[]>();

/** Sites that carry a ring: an open alert or a non-normal mode. Memoised per rows array. */
export function ringedSites(rows: readonly SiteRow[]): SiteRow[] {
  let out = alertingCache.get(rows);
  if (!out) {
    out = rows.filter((r) => r.openAlerts > 0 || r.mode !== 'normal' || r.fireActive);
    alertingCache.set(rows, out);
  }
  return out;
}

const position = (r: SiteRow): [number, number] => [r.lng, r.lat];
const color = (r: SiteRow): [number, number, number] => TONE_RGB[siteTone(r)];

/**
 * Site markers as pure layer descriptions: stable ids, data passed in, accessors keyed by
 * updateTriggers so a hover only recomputes radii and a status change only what changed. One
 * layer type (one GPU program) and no GPU picking: hovering is resolved on the CPU (pick-site.ts),
 * names are DOM labels (SiteLabels.tsx).
 */
export function buildSiteLayers(rows: readonly SiteRow[], opts: SiteLayerOptions) {
  const emphasis = `${opts.hoveredId ?? ''}|${opts.selectedId ?? ''}`;
  return [
    new ScatterplotLayer<SiteRow>({
      id: 'site-rings',
      data: ringedSites(rows),
      getPosition: position,
      getRadius: 15,
      radiusUnits: 'pixels',
      filled: false,
      stroked: true,
      getLineColor: color,
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
    }),
    new ScatterplotLayer<SiteRow>({
      id: 'site-markers',
      data: rows,
      getPosition: position,
      radiusUnits: 'pixels',
      getRadius: (r) => (r.id === opts.hoveredId || r.id === opts.selectedId ? 11 : 8),
      getFillColor: (r) => (r.online === false ? [60, 64, 72] : color(r)),
      stroked: true,
      getLineColor: (r) => (r.online === false ? TONE_RGB.offline : [12, 16, 22]),
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      updateTriggers: { getRadius: emphasis },
    }),
  ];
}
