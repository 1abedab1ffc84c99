import { memo } from 'react';
import type { SiteRow } from '../features/overview/site-rows';
import { projectLngLat, type ViewTransform } from './mercator';

/** Labels further outside the map than this are not drawn (half a label's width). */
const MARGIN_PX = 80;

/**
 * Site names above their markers, as DOM text over the WebGL canvas: crisp Hangul at any size and
 * no glyph atlas or text shader to build, which on software GL cost seconds at first draw.
 */
export const SiteLabels = memo(function SiteLabels({ sites, t, width, height }: { sites: readonly SiteRow[]; t: ViewTransform; width: number; height: number }) {
  return (
    <div className="site-labels" aria-hidden="true">
      {sites.map((s) => {
        const [x, y] = projectLngLat(t, s.lng, s.lat);
        if (x < -MARGIN_PX || y < -MARGIN_PX || x > width + MARGIN_PX || y > height + MARGIN_PX) return null;
        return (
          <span key={s.id} className="site-label" style={{ transform: `translate(${Math.round(x)}px, ${Math.round(y) - 20}px) translate(-50%, -100%)` }}>
            {s.name}
          </span>
        );
      })}
    </div>
  );
});
