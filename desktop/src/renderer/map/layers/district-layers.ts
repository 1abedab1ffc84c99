import { GeoJsonLayer, TextLayer } from '@deck.gl/layers';
import { DISTRICTS, SEOUL_BASE_MAP, type DistrictProps } from './base-map';
import { charactersOf } from './site-layers';

type Lang = 'ko' | 'en';

interface DistrictLabel {
  text: string;
  position: [number, number];
}

const labelCache = new Map<Lang, DistrictLabel[]>();

/** District name labels per language, computed once (memoised data keeps deck.gl from re-uploading). */
export function districtLabels(lang: Lang): DistrictLabel[] {
  let labels = labelCache.get(lang);
  if (!labels) {
    labels = DISTRICTS.map((f) => ({
      text: (lang === 'ko' ? f.properties.nameKo : f.properties.nameEn) ?? f.properties.id,
      position: f.properties.centre ?? [0, 0],
    }));
    labelCache.set(lang, labels);
  }
  return labels;
}

/** The static base layers: district outlines, the Han river and district names. Stable ids. */
export function buildDistrictLayers(lang: Lang) {
  return [
    new GeoJsonLayer<DistrictProps>({
      id: 'base-districts',
      data: SEOUL_BASE_MAP,
      stroked: true,
      filled: true,
      getFillColor: (f) => (f.properties.river ? [0, 0, 0, 0] : [28, 36, 46, 255]),
      getLineColor: (f) => (f.properties.river ? [52, 110, 160, 200] : [70, 84, 100, 255]),
      getLineWidth: (f) => (f.properties.river ? 6 : 1.2),
      lineWidthUnits: 'pixels',
      pickable: false,
    }),
    new TextLayer<DistrictLabel>({
      id: 'base-district-names',
      data: districtLabels(lang),
      getText: (d) => d.text,
      getPosition: (d) => d.position,
      getSize: 11,
      getColor: [120, 134, 150, 200],
      characterSet: charactersOf(districtLabels(lang).map((l) => l.text)),
      fontFamily: 'system-ui, "Noto Sans CJK KR", "Malgun Gothic", "Apple SD Gothic Neo", NanumGothic, sans-serif',
      pickable: false,
      updateTriggers: { getText: lang },
    }),
  ];
}
