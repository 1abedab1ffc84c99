import { zoneSchema, type DeviceView, type Position, type Zone } from '@cr/shared';

/** Pure rules for adding and removing zone outlines; the page writes the result through SiteDoc. */

/** A new zone's outline in plan units: large enough to grab each corner, small enough to fit beside others. */
export const NEW_ZONE_SIZE = { width: 200, height: 150 } as const;
/** Plan units are 0…1000 on both axes (positionSchema). */
const PLAN_MAX = 1000;
const GRID = 25;
const GAP = 10;
export const ZONE_NAME_MAX = 120;

/**
 * An id for a zone created on this console. Zones live in one Y.Map keyed by id, and two laptops
 * that each add "zone-1" while offline would overwrite one another on merge (a concurrent
 * `Y.Map.set` on one key keeps only one value). A random part makes concurrent ids distinct.
 */
export function newZoneId(existing: readonly Zone[], random: string): string {
  const ids = new Set(existing.map((z) => z.id));
  const base = `zone-${random.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 10) || 'new'}`;
  let id = base;
  for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
  return id;
}

export type ZoneNameProblem = 'empty' | 'too-long' | 'duplicate';

/** Why a name cannot be used (undefined when it can): names must tell zones apart on the plan. */
export function zoneNameProblem(name: string, zones: readonly Zone[], exceptId?: string): ZoneNameProblem | undefined {
  const n = name.trim();
  if (!n) return 'empty';
  if (n.length > ZONE_NAME_MAX) return 'too-long';
  const lower = n.toLocaleLowerCase();
  if (zones.some((z) => z.id !== exceptId && z.name.trim().toLocaleLowerCase() === lower)) return 'duplicate';
  return undefined;
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function boundsOf(zone: Zone): Rect {
  const xs = zone.polygon.map((p) => p[0]);
  const ys = zone.polygon.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

const overlaps = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;

/**
 * Top-left corner for a new outline: the first spot, row by row, where it touches no other zone,
 * so it can be seen and grabbed; the plan's centre when the plan is full.
 */
export function freeSpot(zones: readonly Zone[], size: { width: number; height: number } = NEW_ZONE_SIZE): Position {
  const taken = zones.map(boundsOf);
  for (let y = 0; y + size.height <= PLAN_MAX; y += GRID) {
    for (let x = 0; x + size.width <= PLAN_MAX; x += GRID) {
      const r = { x, y, ...size };
      if (!taken.some((t) => overlaps(r, t))) return { x, y };
    }
  }
  return { x: (PLAN_MAX - size.width) / 2, y: (PLAN_MAX - size.height) / 2 };
}

/** A rectangular outline for a new zone in free space; throws a clear error for a bad name. */
export function newZone(zones: readonly Zone[], name: string, random: string): Zone {
  const problem = zoneNameProblem(name, zones);
  if (problem) throw new Error(`zone name ${JSON.stringify(name)}: ${problem}`);
  const { x, y } = freeSpot(zones);
  const { width: w, height: h } = NEW_ZONE_SIZE;
  return zoneSchema.parse({
    id: newZoneId(zones, random),
    name: name.trim(),
    polygon: [[x, y], [x + w, y], [x + w, y + h], [x, y + h]],
  });
}

/** Devices assigned to a zone: the removal confirmation says they stay (only the outline goes). */
export function devicesInZone(zoneId: string, devices: readonly DeviceView[]): DeviceView[] {
  return devices.filter((d) => d.zoneId === zoneId);
}
