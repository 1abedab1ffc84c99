/**
 * Whether anyone is in each zone, from the zone's motion sensors: occupied while any of them
 * reports motion or people, quiet from the moment the last one stopped. A zone nobody reported on
 * yet is neither: nothing is inferred about it.
 */
export class ZonePresence {
  private readonly sensors = new Map<string, { zoneId: string; occupied: boolean }>();
  /** zone → when it last went quiet (or was first reported quiet), while quiet */
  private readonly quietSince = new Map<string, number>();

  /**
   * A sensor's reading. Returns how long the zone had been quiet before, when this reading is the
   * zone's first activity after a quiet spell (someone came in); undefined otherwise.
   */
  observe(sensorId: string, zoneId: string, occupied: boolean, now: number): number | undefined {
    const prev = this.sensors.get(sensorId);
    if (prev && prev.zoneId !== zoneId) this.forget(sensorId, now);
    const quietBefore = this.quietFor(zoneId, now);
    this.sensors.set(sensorId, { zoneId, occupied });
    if (occupied) {
      this.quietSince.delete(zoneId);
      return quietBefore;
    }
    if (!this.anyOccupied(zoneId) && quietBefore === undefined) this.quietSince.set(zoneId, now);
    return undefined;
  }

  /** A motion event without a state change: the zone is active now, its quiet spell (if any) ends. */
  motion(zoneId: string, now: number): number | undefined {
    const quietBefore = this.quietFor(zoneId, now);
    if (quietBefore !== undefined) this.quietSince.set(zoneId, now);
    return quietBefore;
  }

  forget(sensorId: string, now: number): void {
    const cur = this.sensors.get(sensorId);
    if (!cur) return;
    this.sensors.delete(sensorId);
    if (![...this.sensors.values()].some((s) => s.zoneId === cur.zoneId)) this.quietSince.delete(cur.zoneId);
    else if (!this.anyOccupied(cur.zoneId) && !this.quietSince.has(cur.zoneId)) this.quietSince.set(cur.zoneId, now);
  }

  /** How long the zone has been quiet; undefined while someone is in it or before any sensor reported. */
  quietFor(zoneId: string, now: number): number | undefined {
    const since = this.quietSince.get(zoneId);
    return since === undefined ? undefined : Math.max(0, now - since);
  }

  /** Zones some sensor reports on. */
  zones(): string[] {
    return [...new Set([...this.sensors.values()].map((s) => s.zoneId))];
  }

  private anyOccupied(zoneId: string): boolean {
    for (const s of this.sensors.values()) if (s.zoneId === zoneId && s.occupied) return true;
    return false;
  }
}
