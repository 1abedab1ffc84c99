import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { siteTone, TONE_RGB, type SiteRow } from '../../features/overview/site-rows';

export interface SiteLayerOptions {
  hoveredId: string | undefined;
  selectedId: string | undefined;
  /** labels only while they fit (few sites or zoomed in) */
  showLabels: boolean;
}

/**
 * Every character the labels use, for the glyph atlas. Listing them explicitly (instead of 'auto')
 * builds the atlas once with Hangul included, so Korean names render correctly.
 */
export function charactersOf(texts: readonly string[]): string[] {
  const set = new Set<string>();
  for (const t of texts) for (const ch of t) set.add(ch);
  return [...set].sort();
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
 * updateTriggers so a hover only recomputes radii and a status change only what changed.
 */
export function buildSiteLayers(rows: readonly SiteRow[], opts: SiteLayerOptions) {
  const emphasis = `${opts.hoveredId ?? ''}|${opts.selectedId ?? ''}`;
  const layers = [
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
      pickable: true,
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
  if (!opts.showLabels) return layers;
  return [
    ...layers,
    new TextLayer<SiteRow>({
      id: 'site-labels',
      data: rows,
      getPosition: position,
      getText: (r) => r.name,
      getSize: 13,
      getColor: [230, 236, 242, 255],
      getPixelOffset: [0, -20],
      characterSet: charactersOf(rows.map((r) => r.name)),
      fontFamily: 'system-ui, "Noto Sans CJK KR", "Malgun Gothic", "Apple SD Gothic Neo", NanumGothic, sans-serif',
      // A plain backdrop instead of an SDF outline: SDF glyphs clip Hangul strokes at this size.
      background: true,
      getBackgroundColor: [12, 16, 22, 210],
      backgroundPadding: [4, 2],
    }),
  ];
}
