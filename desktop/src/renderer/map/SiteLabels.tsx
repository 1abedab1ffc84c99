import { memo } from 'react';
import { SITE_LABEL, type PlacedSiteLabel } from './label-layout';

/**
 * Site names beside their markers, as DOM text over the WebGL canvas: crisp Hangul at any size and
 * no glyph atlas or text shader to build, which on software GL cost seconds at first draw. Where
 * each goes is decided by placeSiteLabels (label-layout.ts).
 */
export const SiteLabels = memo(function SiteLabels({ labels }: { labels: readonly PlacedSiteLabel[] }) {
  return (
    <div className="site-labels" aria-hidden="true">
      {labels.map((l) => (
        <span
          key={l.id}
          className="site-label"
          style={{ transform: l.below ? `translate(${l.x}px, ${l.y + SITE_LABEL.lift}px) translate(-50%, 0)` : `translate(${l.x}px, ${l.y - SITE_LABEL.lift}px) translate(-50%, -100%)` }}
        >
          {l.text}
        </span>
      ))}
    </div>
  );
});
