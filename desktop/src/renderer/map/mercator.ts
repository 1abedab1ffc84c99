/**
 * Web Mercator as deck.gl's MapView draws it (pitch 0, bearing 0), so DOM layers under and over
 * the WebGL canvas (base map, labels) line up with the markers without a second GPU pass.
 */

/** What the overview looks at: deck.gl's map view state, reduced to what a flat map needs. */
export interface MapViewState {
  longitude: number;
  latitude: number;
  zoom: number;
}

/** deck.gl's world size at zoom 0 (one 512-pixel tile). */
const TILE = 512;

/** World coordinates (deck.gl's common space, y pointing north) of a longitude/latitude. */
export function lngLatToWorld(lng: number, lat: number): [number, number] {
  const phi = (lat * Math.PI) / 180;
  return [(TILE * (lng + 180)) / 360, (TILE * (Math.PI + Math.log(Math.tan(Math.PI / 4 + phi / 2)))) / (2 * Math.PI)];
}

/** Screen pixel = [world x · scale + x0, y0 − world y · scale]: one affine map per view. */
export interface ViewTransform {
  scale: number;
  x0: number;
  y0: number;
}

export function viewTransform(view: MapViewState, width: number, height: number): ViewTransform {
  const scale = 2 ** view.zoom;
  const [cx, cy] = lngLatToWorld(view.longitude, view.latitude);
  return { scale, x0: width / 2 - cx * scale, y0: height / 2 + cy * scale };
}

export function worldToScreen(t: ViewTransform, [wx, wy]: readonly [number, number]): [number, number] {
  return [wx * t.scale + t.x0, t.y0 - wy * t.scale];
}

export function projectLngLat(t: ViewTransform, lng: number, lat: number): [number, number] {
  return worldToScreen(t, lngLatToWorld(lng, lat));
}
