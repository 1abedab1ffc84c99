// Generates the offline base map: approximate outlines of Seoul's 25 districts (gu) as GeoJSON.
// Each district is the Voronoi cell of its approximate centre, clipped to an approximate city
// outline; plus the Han river as a line. Approximate on purpose: it orients operators, it is not
// a survey. Run: node desktop/scripts/generate-seoul-districts.mjs
import { writeFileSync } from 'node:fs';

const GU = [
  ['jongno', '종로구', 'Jongno', 126.977, 37.595], ['jung', '중구', 'Jung', 126.997, 37.560], ['yongsan', '용산구', 'Yongsan', 126.980, 37.531],
  ['seongdong', '성동구', 'Seongdong', 127.041, 37.551], ['gwangjin', '광진구', 'Gwangjin', 127.085, 37.546], ['dongdaemun', '동대문구', 'Dongdaemun', 127.055, 37.581],
  ['jungnang', '중랑구', 'Jungnang', 127.093, 37.598], ['seongbuk', '성북구', 'Seongbuk', 127.019, 37.605], ['gangbuk', '강북구', 'Gangbuk', 127.011, 37.643],
  ['dobong', '도봉구', 'Dobong', 127.032, 37.669], ['nowon', '노원구', 'Nowon', 127.075, 37.652], ['eunpyeong', '은평구', 'Eunpyeong', 126.927, 37.619],
  ['seodaemun', '서대문구', 'Seodaemun', 126.937, 37.578], ['mapo', '마포구', 'Mapo', 126.902, 37.559], ['yangcheon', '양천구', 'Yangcheon', 126.855, 37.525],
  ['gangseo', '강서구', 'Gangseo', 126.822, 37.561], ['guro', '구로구', 'Guro', 126.856, 37.494], ['geumcheon', '금천구', 'Geumcheon', 126.902, 37.460],
  ['yeongdeungpo', '영등포구', 'Yeongdeungpo', 126.910, 37.522], ['dongjak', '동작구', 'Dongjak', 126.952, 37.499], ['gwanak', '관악구', 'Gwanak', 126.945, 37.467],
  ['seocho', '서초구', 'Seocho', 127.031, 37.473], ['gangnam', '강남구', 'Gangnam', 127.062, 37.496], ['songpa', '송파구', 'Songpa', 127.115, 37.505],
  ['gangdong', '강동구', 'Gangdong', 127.146, 37.550],
];

const OUTLINE = [
  [126.765, 37.555], [126.79, 37.585], [126.84, 37.60], [126.88, 37.59], [126.90, 37.62], [126.93, 37.655], [126.96, 37.66],
  [126.99, 37.69], [127.02, 37.70], [127.05, 37.695], [127.09, 37.69], [127.11, 37.655], [127.105, 37.62], [127.115, 37.585],
  [127.16, 37.575], [127.185, 37.55], [127.17, 37.52], [127.14, 37.48], [127.105, 37.46], [127.07, 37.435], [127.03, 37.44],
  [127.0, 37.43], [126.96, 37.44], [126.92, 37.43], [126.885, 37.435], [126.865, 37.47], [126.83, 37.48], [126.80, 37.50], [126.78, 37.53],
];

const HAN_RIVER = [
  [126.765, 37.59], [126.80, 37.578], [126.84, 37.565], [126.88, 37.552], [126.915, 37.537], [126.945, 37.522], [126.975, 37.513],
  [127.0, 37.516], [127.03, 37.525], [127.06, 37.528], [127.085, 37.523], [127.105, 37.535], [127.125, 37.552], [127.16, 37.572], [127.19, 37.58],
];

const K = Math.cos((37.55 * Math.PI) / 180);
const toXY = ([lng, lat]) => [lng * K, lat];
const toLngLat = ([x, y]) => [Math.round((x / K) * 1e4) / 1e4, Math.round(y * 1e4) / 1e4];

/** Sutherland–Hodgman: keeps the part of `poly` where f(p) <= 0 for the linear function f. */
function clip(poly, f) {
  const out = [];
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i];
    const b = poly[(i + 1) % poly.length];
    const fa = f(a);
    const fb = f(b);
    if (fa <= 0) out.push(a);
    if ((fa <= 0) !== (fb <= 0)) {
      const t = fa / (fa - fb);
      out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
    }
  }
  return out;
}

const outline = OUTLINE.map(toXY);
const centres = GU.map((g) => toXY([g[3], g[4]]));
const features = GU.map((g, i) => {
  let cell = outline;
  const [px, py] = centres[i];
  centres.forEach(([qx, qy], j) => {
    if (j === i) return;
    // points closer to q than to p are cut away: f(x) = (x - mid)·(q - p)
    const mx = (px + qx) / 2;
    const my = (py + qy) / 2;
    cell = clip(cell, ([x, y]) => (x - mx) * (qx - px) + (y - my) * (qy - py));
  });
  const ring = cell.map(toLngLat);
  ring.push(ring[0]);
  return {
    type: 'Feature',
    properties: { id: g[0], nameKo: g[1], nameEn: g[2], centre: [g[3], g[4]] },
    geometry: { type: 'Polygon', coordinates: [ring] },
  };
});
features.push({ type: 'Feature', properties: { id: 'han-river', river: true }, geometry: { type: 'LineString', coordinates: HAN_RIVER } });

const out = new URL('../src/renderer/map/layers/seoul-districts.json', import.meta.url);
writeFileSync(out, JSON.stringify({ type: 'FeatureCollection', features }) + '\n');
console.log(`wrote ${features.length} features to ${out.pathname}`);
