/** People per zone, summed over the zone's PIR sensors' `occupancy` readings. */
export class Occupancy {
  private readonly sensors = new Map<string, { zoneId: string; count: number }>();

  /** Records a sensor reading; returns the zone's new total when it changed. */
  report(sensorId: string, zoneId: string | undefined, count: number | undefined): { zoneId: string; total: number } | undefined {
    if (!zoneId || count === undefined) return undefined;
    const before = this.total(zoneId);
    this.sensors.set(sensorId, { zoneId, count });
    const after = this.total(zoneId);
    return after === before && before !== 0 ? undefined : { zoneId, total: after };
  }

  forget(sensorId: string): { zoneId: string; total: number } | undefined {
    const cur = this.sensors.get(sensorId);
    if (!cur) return undefined;
    this.sensors.delete(sensorId);
    return { zoneId: cur.zoneId, total: this.total(cur.zoneId) };
  }

  /** People per zone, for every zone a sensor reports on. */
  byZone(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.sensors.values()) out[s.zoneId] = (out[s.zoneId] ?? 0) + s.count;
    return out;
  }

  total(zoneId: string): number {
    let n = 0;
    for (const s of this.sensors.values()) if (s.zoneId === zoneId) n += s.count;
    return n;
  }
}
