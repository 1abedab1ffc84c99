import DeckGL from '@deck.gl/react';
import { MapView, type PickingInfo } from '@deck.gl/core';
import { useCallback, useMemo, useState } from 'react';
import type { SiteRow } from '../features/overview/site-rows';
import { SEOUL_VIEW } from './layers/base-map';
import { buildDistrictLayers } from './layers/district-layers';
import { buildSiteLayers } from './layers/site-layers';
import { SiteTooltip } from './SiteTooltip';

const VIEW = new MapView({ id: 'overview', repeat: false });

export interface OverviewMapProps {
  sites: readonly SiteRow[];
  lang: 'ko' | 'en';
  selectedId?: string;
  onOpen: (siteId: string) => void;
}

/** The overview map on deck.gl: offline Seoul districts and one marker per site. */
export function DeckOverviewMap({ sites, lang, selectedId, onOpen }: OverviewMapProps) {
  const [hover, setHover] = useState<{ site: SiteRow; x: number; y: number } | undefined>();
  const [zoom, setZoom] = useState<number>(SEOUL_VIEW.zoom);
  const [loaded, setLoaded] = useState(false);
  const base = useMemo(() => buildDistrictLayers(lang), [lang]);
  const showLabels = sites.length <= 40 || zoom >= 12;
  const siteLayers = useMemo(() => buildSiteLayers(sites, { hoveredId: hover?.site.id, selectedId, showLabels }), [sites, hover?.site.id, selectedId, showLabels]);
  const layers = useMemo(() => [...base, ...siteLayers], [base, siteLayers]);
  const onHover = useCallback((info: PickingInfo<SiteRow>) => setHover(info.object ? { site: info.object, x: info.x, y: info.y } : undefined), []);
  const onClick = useCallback((info: PickingInfo<SiteRow>) => info.object && onOpen(info.object.id), [onOpen]);
  return (
    <div className="map-canvas" data-testid="overview-map" data-renderer="webgl" data-ready={String(loaded)}>
      <DeckGL
        views={VIEW}
        initialViewState={SEOUL_VIEW}
        controller={{ dragRotate: false, touchRotate: false }}
        layers={layers}
        onHover={onHover}
        onClick={onClick}
        onViewStateChange={({ viewState }) => {
          const z = Math.round((viewState as { zoom: number }).zoom * 2) / 2;
          if (z !== zoom) setZoom(z);
        }}
        onLoad={() => setLoaded(true)}
        getCursor={({ isHovering }) => (isHovering ? 'pointer' : 'grab')}
        style={{ background: '#0b1016' }}
      />
      {hover && <SiteTooltip site={hover.site} x={hover.x} y={hover.y} />}
    </div>
  );
}
