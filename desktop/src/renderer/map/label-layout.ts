/**
 * Where map text goes on screen. District names sit under the markers, so a name that would be
 * hidden by a marker or a site label moves a little up or down, or is left out — never drawn
 * half-covered. Obstacles do not depend on site status, so names never jump as statuses stream in.
 */

/** A box by its centre and half sizes, in screen pixels. */
export interface Box {
  cx: number;
  cy: number;
  hw: number;
  hh: number;
}

export interface ScreenLabel {
  id: string;
  text: string;
  x: number;
  y: number;
}

/** Site name labels: bottom edge `lift` px above the marker's centre (see SiteLabels). */
export const SITE_LABEL = { lift: 20, height: 18, padX: 5, fontPx: 13 } as const;
/** Half size of the area a marker covers, its alert ring included. */
export const MARKER_HALF_PX = 17;
const DISTRICT_FONT_PX = 11;
const DISTRICT_SHIFTS = [0, 24, -24];

/** Approximate rendered width: Hangul and other wide glyphs are about one em, Latin about 0.6 em. */
export function textWidthPx(text: string, fontPx: number): number {
  let em = 0;
  for (const ch of text) em += /[\u1100-\u11ff\u3000-\u9fff\uac00-\ud7af]/.test(ch) ? 1 : 0.6;
  return em * fontPx;
}

const overlap = (a: Box, b: Box): boolean => Math.abs(a.cx - b.cx) < a.hw + b.hw && Math.abs(a.cy - b.cy) < a.hh + b.hh;

export function markerBox(x: number, y: number): Box {
  return { cx: x, cy: y, hw: MARKER_HALF_PX, hh: MARKER_HALF_PX };
}

/** The box of a site label above (or below) its marker at (x, y). */
export function siteLabelBox(x: number, y: number, text: string, below = false): Box {
  const hh = SITE_LABEL.height / 2;
  const cy = below ? y + SITE_LABEL.lift + hh : y - SITE_LABEL.lift - hh;
  return { cx: x, cy, hw: textWidthPx(text, SITE_LABEL.fontPx) / 2 + SITE_LABEL.padX, hh };
}

export interface PlacedSiteLabel extends ScreenLabel {
  /** drawn under the marker because the space above was taken */
  below: boolean;
}

/**
 * Site names above their markers, else below, else left out (the list and the tooltip still name
 * the site). Placed in the given order, which callers keep independent of status so that names do
 * not jump between frames while statuses stream in.
 */
export function placeSiteLabels(sites: readonly ScreenLabel[]): PlacedSiteLabel[] {
  const markers = sites.map((s) => ({ id: s.id, box: markerBox(s.x, s.y) }));
  const labels: Box[] = [];
  const placed: PlacedSiteLabel[] = [];
  for (const s of sites) {
    for (const below of [false, true]) {
      const box = siteLabelBox(s.x, s.y, s.text, below);
      if (labels.some((l) => overlap(box, l)) || markers.some((m) => m.id !== s.id && overlap(box, m.box))) continue;
      labels.push(box);
      placed.push({ ...s, below });
      break;
    }
  }
  return placed;
}

/** District names placed clear of `obstacles` and of each other, shifted or left out. */
export function placeDistrictLabels(labels: readonly ScreenLabel[], obstacles: readonly Box[]): ScreenLabel[] {
  const placed: ScreenLabel[] = [];
  const taken: Box[] = [...obstacles];
  for (const l of labels) {
    const hw = textWidthPx(l.text, DISTRICT_FONT_PX) / 2 + 2;
    for (const dy of DISTRICT_SHIFTS) {
      const box = { cx: l.x, cy: l.y + dy, hw, hh: DISTRICT_FONT_PX / 2 + 1 };
      if (taken.some((o) => overlap(box, o))) continue;
      placed.push({ ...l, y: l.y + dy });
      taken.push(box);
      break;
    }
  }
  return placed;
}
