import type { WatchSignal } from './watch-signal';

/**
 * Tailgating, pure: a people counter at a zone's entrance saw more people walk in than were
 * granted. Each grant lets one person in within `windowMs`; each counted entry uses up the oldest
 * grant still open, and an entry with none left is a tailgater. While the zone's door stands
 * unlocked (a person's unlock, emergency-unlock) entries need no grant. The cause clears once a
 * whole window passes with every entry granted.
 */
export class Tailgating {
  /** counter → running `in` total last reported */
  private readonly totals = new Map<string, number>();
  /** zone → expiry times of the grants not yet used, oldest first */
  private readonly grants = new Map<string, number[]>();
  private readonly openUntil = new Map<string, number>();
  /** zone → when the last ungranted entry of the current alarm was counted */
  private readonly alarmed = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  granted(zoneId: string, now: number): void {
    const list = this.grants.get(zoneId) ?? [];
    list.push(now + this.windowMs);
    this.grants.set(zoneId, list);
  }

  /** The zone's door stands unlocked (or the site is in emergency-unlock): entries until `now + windowMs` need no grant. */
  standingOpen(zoneId: string, now: number): void {
    this.openUntil.set(zoneId, now + this.windowMs);
  }

  /**
   * A counter's running total of people who walked in. The first reading, and a total that went
   * down (the counter restarted), are a new baseline: no entries.
   */
  counted(counterId: string, zoneId: string, inTotal: number, now: number): WatchSignal[] {
    const before = this.totals.get(counterId);
    this.totals.set(counterId, inTotal);
    if (before === undefined || inTotal <= before) return [];
    return this.entries(zoneId, inTotal - before, now);
  }

  forget(counterId: string): void {
    this.totals.delete(counterId);
  }

  private entries(zoneId: string, entered: number, now: number): WatchSignal[] {
    if ((this.openUntil.get(zoneId) ?? -Infinity) >= now) return [];
    const open = (this.grants.get(zoneId) ?? []).filter((until) => until >= now);
    const used = Math.min(entered, open.length);
    this.grants.set(zoneId, open.slice(used));
    const surplus = entered - used;
    if (surplus === 0) return [];
    // Every ungranted entry is signalled: the site's alarm stays one while unresolved, and a new
    // one is raised if a person already resolved the last.
    this.alarmed.set(zoneId, now);
    return [{ phase: 'raise', subject: zoneId, at: now, message: `${entered} ${entered === 1 ? 'person' : 'people'} counted entering ${zoneId} on ${used} ${used === 1 ? 'grant' : 'grants'}` }];
  }

  /** Clears zones where a whole window passed without an ungranted entry. */
  tick(now: number): WatchSignal[] {
    const out: WatchSignal[] = [];
    for (const [zoneId, lastAt] of this.alarmed) {
      if (now - lastAt < this.windowMs) continue;
      this.alarmed.delete(zoneId);
      out.push({ phase: 'clear', subject: zoneId, at: now, message: `every entry into ${zoneId} granted for ${Math.round(this.windowMs / 1000)} s` });
    }
    return out;
  }
}
