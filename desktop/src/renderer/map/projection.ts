import { SEOUL_BOUNDS } from './layers/base-map';

const K = Math.cos((37.56 * Math.PI) / 180);

/** Equirectangular projection of the Seoul area into an SVG box (aspect kept), for the fallback map. */
export function seoulProjection(width: number) {
  const w = (SEOUL_BOUNDS.east - SEOUL_BOUNDS.west) * K;
  const h = SEOUL_BOUNDS.north - SEOUL_BOUNDS.south;
  const scale = width / w;
  return {
    width,
    height: h * scale,
    project: (lng: number, lat: number): [number, number] => [(lng - SEOUL_BOUNDS.west) * K * scale, (SEOUL_BOUNDS.north - lat) * scale],
  };
}
