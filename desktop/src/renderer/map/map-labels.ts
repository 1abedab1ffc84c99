import type { SiteRow } from '../features/overview/site-rows';
import { districtLabelsOnScreen } from './BaseMapSvg';
import { markerBox, placeDistrictLabels, placeSiteLabels, siteLabelBox, type PlacedSiteLabel, type ScreenLabel } from './label-layout';
import { projectLngLat, type ViewTransform } from './mercator';

/** Markers further outside the map than this neither get a label nor push one away. */
const MARGIN_PX = 80;

/**
 * Every text on the overview map for one view: site names (when they fit) placed clear of markers
 * and of each other, then district names clear of both. Sites keep their list order (by name), so
 * the result depends on positions and names only, never on status.
 */
export function mapLabels(sites: readonly SiteRow[], t: ViewTransform, size: { width: number; height: number }, lang: 'ko' | 'en', showSiteLabels: boolean) {
  const onScreen: ScreenLabel[] = [];
  for (const s of sites) {
    const [x, y] = projectLngLat(t, s.lng, s.lat);
    if (x < -MARGIN_PX || y < -MARGIN_PX || x > size.width + MARGIN_PX || y > size.height + MARGIN_PX) continue;
    onScreen.push({ id: s.id, text: s.name, x: Math.round(x), y: Math.round(y) });
  }
  const siteLabels: PlacedSiteLabel[] = showSiteLabels ? placeSiteLabels(onScreen) : [];
  const obstacles = [...onScreen.map((p) => markerBox(p.x, p.y)), ...siteLabels.map((l) => siteLabelBox(l.x, l.y, l.text, l.below))];
  return { sites: siteLabels, districts: placeDistrictLabels(districtLabelsOnScreen(t, lang), obstacles) };
}
