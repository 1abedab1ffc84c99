import DeckGL from '@deck.gl/react';
import { MapView, type PickingInfo } from '@deck.gl/core';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { SiteRow } from '../features/overview/site-rows';
import { useElementSize } from '../hooks/use-element-size';
import { useThrottledValue } from '../hooks/use-throttled-value';
import { BaseMapSvg } from './BaseMapSvg';
import { mapLabels } from './map-labels';
import { SEOUL_VIEW } from './layers/base-map';
import { buildSiteLayers } from './layers/site-layers';
import { viewTransform, type MapViewState } from './mercator';
import { pickSite } from './pick-site';
import { SiteLabels } from './SiteLabels';
import { SiteTooltip } from './SiteTooltip';
import { isSoftwareRenderer } from './webgl';

const VIEW = new MapView({ id: 'overview', repeat: false });
const CONTROLLER = { dragRotate: false, touchRotate: false };
/** Zoom range of the offline base map: all of Seoul … one block. */
const ZOOM = { minZoom: 9, maxZoom: 16 } as const;
/**
 * Status changes reach the map at most 4 times a second. Every redraw repaints the whole canvas,
 * which on software GL costs a main-thread stall per redraw; 4 Hz is still instant to an operator.
 */
export const MAP_UPDATE_MIN_MS = 250;
/**
 * Flat markers need neither depth, stencil nor MSAA (the marker shader smooths its own edges), and
 * nothing reads the canvas back: on software GL each of those buffers costs CPU time per redraw.
 */
const CONTEXT = { webgl: { antialias: false, depth: false, stencil: false, preserveDrawingBuffer: false } };
/** How close to a marker (CSS px) the pointer must be to hover or open it: large hit targets. */
const HIT_RADIUS_PX = 14;

export interface OverviewMapProps {
  sites: readonly SiteRow[];
  lang: 'ko' | 'en';
  selectedId?: string;
  onOpen: (siteId: string) => void;
  /** WebGL could not be started here: the page shows the SVG map instead */
  onUnavailable?: () => void;
}

/**
 * The overview map: deck.gl draws the live site markers (one layer type, no GPU picking) over the
 * static base map in SVG; names are DOM labels. All three follow one view transform.
 */
export function DeckOverviewMap({ sites: liveSites, lang, selectedId, onOpen, onUnavailable }: OverviewMapProps) {
  const sites = useThrottledValue(liveSites, MAP_UPDATE_MIN_MS);
  const [view, setView] = useState<MapViewState>({ longitude: SEOUL_VIEW.longitude, latitude: SEOUL_VIEW.latitude, zoom: SEOUL_VIEW.zoom });
  const [box, size] = useElementSize<HTMLDivElement>();
  const t = useMemo(() => viewTransform(view, size.width, size.height), [view, size]);
  const [hover, setHover] = useState<{ id: string; x: number; y: number } | undefined>();
  const [drawn, setDrawn] = useState(false);
  const drawnOnce = useRef(false);
  const [devicePixels, setDevicePixels] = useState(true);
  const started = useRef(false);
  const hovered = hover ? sites.find((s) => s.id === hover.id) : undefined;
  const layers = useMemo(() => buildSiteLayers(sites, { hoveredId: hover?.id, selectedId }), [sites, hover?.id, selectedId]);
  const showLabels = sites.length <= 40 || view.zoom >= 12;
  // Keyed on positions and names only (sites enter through placesKey): a status change never moves a label.
  const placesKey = useMemo(() => sites.map((s) => `${s.lng},${s.lat},${s.name}`).join('|'), [sites]);
  const labels = useMemo(() => mapLabels(sites, t, size, lang, showLabels), [placesKey, t, size, lang, showLabels]);

  const onHover = useCallback(
    (info: PickingInfo) => {
      const site = info.x >= 0 ? pickSite(sites, t, info.x, info.y, HIT_RADIUS_PX) : undefined;
      setHover((h) => (site ? { id: site.id, x: info.x, y: info.y } : h ? undefined : h));
    },
    [sites, t],
  );
  const onClick = useCallback((info: PickingInfo) => {
    const site = pickSite(sites, t, info.x, info.y, HIT_RADIUS_PX);
    if (site) onOpen(site.id);
  }, [sites, t, onOpen]);
  const onDeviceInitialized = useCallback((device: { info: { vendor: string; renderer: string } }) => {
    started.current = true;
    // Software GL fills every pixel on the CPU: never more pixels than CSS pixels there.
    if (isSoftwareRenderer(device.info)) setDevicePixels(false);
  }, []);
  const onError = useCallback((error: Error) => {
    if (started.current) return console.error('overview map', error);
    onUnavailable?.();
  }, [onUnavailable]);
  // Ready once the first frame is on screen: the next animation frame runs after its commit.
  const onAfterRender = useCallback(() => {
    if (drawnOnce.current) return;
    drawnOnce.current = true;
    requestAnimationFrame(() => setDrawn(true));
  }, []);

  return (
    <div className="map-canvas" ref={box} data-testid="overview-map" data-renderer="webgl" data-ready={String(drawn)}>
      <BaseMapSvg t={t} labels={labels.districts} />
      <DeckGL
        views={VIEW}
        viewState={{ ...view, ...ZOOM, pitch: 0, bearing: 0 }}
        controller={CONTROLLER}
        layers={layers}
        useDevicePixels={devicePixels}
        deviceProps={CONTEXT}
        onDeviceInitialized={onDeviceInitialized}
        onError={onError}
        onViewStateChange={({ viewState }) => {
          const v = viewState as MapViewState;
          setView({ longitude: v.longitude, latitude: v.latitude, zoom: v.zoom });
        }}
        onHover={onHover}
        onClick={onClick}
        onAfterRender={onAfterRender}
        getCursor={({ isDragging }) => (isDragging ? 'grabbing' : hover ? 'pointer' : 'grab')}
      />
      {labels.sites.length > 0 && <SiteLabels labels={labels.sites} />}
      {hovered && hover && <SiteTooltip site={hovered} x={hover.x} y={hover.y} />}
    </div>
  );
}
