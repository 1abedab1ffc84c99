import type { WatchSignal } from './watch-signal';

/** People each zone may hold; `*` is the limit of every zone not named. */
export type ZoneCapacities = Record<string, number>;

/** Parses `lobby=30,meeting=8,*=50`; undefined when malformed (an id, `=`, a whole number ≥ 1). */
export function parseZoneCapacities(raw: string): ZoneCapacities | undefined {
  const out: ZoneCapacities = {};
  for (const part of raw.split(',')) {
    const m = /^\s*(\*|[a-z0-9][a-z0-9._-]{0,63})\s*=\s*(\d{1,6})\s*$/.exec(part);
    if (!m || Number(m[2]) < 1 || Object.hasOwn(out, m[1]!)) return undefined;
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

export function capacityOf(capacities: ZoneCapacities, zoneId: string): number | undefined {
  return Object.hasOwn(capacities, zoneId) ? capacities[zoneId] : capacities['*'];
}

/**
 * Zones over capacity, pure: more people counted in a zone than it may hold raises; back at or
 * under the limit clears. Zones without a limit are not watched.
 */
export class ZoneCapacity {
  private readonly over = new Set<string>();

  constructor(private readonly capacities: ZoneCapacities) {}

  /** Compares the zones' people counts (Occupancy.byZone) with their limits. */
  check(occupancy: Record<string, number>, now: number): WatchSignal[] {
    const out: WatchSignal[] = [];
    const zones = new Set([...Object.keys(occupancy), ...this.over]);
    for (const zoneId of zones) {
      const limit = capacityOf(this.capacities, zoneId);
      const count = occupancy[zoneId] ?? 0;
      const isOver = limit !== undefined && count > limit;
      if (isOver === this.over.has(zoneId)) continue;
      if (isOver) this.over.add(zoneId);
      else this.over.delete(zoneId);
      out.push({ phase: isOver ? 'raise' : 'clear', subject: zoneId, at: now, message: isOver ? `${count} people in ${zoneId}, capacity ${limit}` : `${count} people in ${zoneId}, within capacity` });
    }
    return out;
  }
}
