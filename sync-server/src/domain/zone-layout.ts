import type { Zone } from '@cr/shared';

/** Plan units are 0…1000 on both axes; a new outline is a 200 × 150 box in a 4 × 5 grid. */
const CELL = { width: 200, height: 150, stepX: 240, stepY: 190, margin: 25, cols: 4, rows: 5 } as const;

type Polygon = Zone['polygon'];

const box = (x: number, y: number): Polygon => [
  [x, y],
  [x + CELL.width, y],
  [x + CELL.width, y + CELL.height],
  [x, y + CELL.height],
];

function overlaps(a: Polygon, b: Polygon): boolean {
  const bounds = (p: Polygon) => {
    const xs = p.map((v) => v[0]);
    const ys = p.map((v) => v[1]);
    return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
  };
  const r = bounds(a);
  const s = bounds(b);
  return r.x0 < s.x1 && s.x0 < r.x1 && r.y0 < s.y1 && s.y0 < r.y1;
}

/**
 * An outline for a zone created through the API, which names a zone but draws nothing: the first
 * grid cell clear of every existing outline, so it can be seen and reshaped on the floor plan.
 * When the grid is full it stacks on the first cell.
 */
export function outlineForNewZone(existing: readonly Zone[]): Polygon {
  for (let i = 0; i < CELL.cols * CELL.rows; i++) {
    const candidate = box(
      CELL.margin + (i % CELL.cols) * CELL.stepX,
      CELL.margin + Math.floor(i / CELL.cols) * CELL.stepY,
    );
    if (!existing.some((z) => overlaps(candidate, z.polygon))) return candidate;
  }
  return box(CELL.margin, CELL.margin);
}
