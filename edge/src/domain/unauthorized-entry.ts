import type { WatchSignal } from './watch-signal';
import type { ZonePresence } from './zone-presence';

/**
 * Unauthorized entry, pure: someone is moving in a zone behind an access-controlled door, the zone
 * had been empty (quiet for at least `emptyMs`), and nobody was let into it since it went quiet —
 * no grant at its readers, no door of it standing unlocked. The cause clears once the zone is
 * empty again. A zone without a guarded door (a corridor, a lobby open to the street) is never watched.
 */
export class UnauthorizedEntry {
  /** zone → last time someone was let in (a grant, a door standing unlocked, emergency-unlock) */
  private readonly letInAt = new Map<string, number>();
  /** zone → when the current alarm's cause started */
  private readonly alarmed = new Map<string, number>();

  constructor(
    private readonly presence: ZonePresence,
    private readonly emptyMs: number,
  ) {}

  /** Someone may enter the zone now (a grant at its reader, a door of it unlocked). */
  letIn(zoneId: string, now: number): void {
    this.letInAt.set(zoneId, Math.max(now, this.letInAt.get(zoneId) ?? -Infinity));
  }

  /**
   * Activity in a zone that had been quiet for `quietBefore` ms (from ZonePresence). Raises when the
   * zone counted as empty and nobody was let in since it went quiet.
   */
  activity(zoneId: string, quietBefore: number | undefined, guarded: boolean, now: number): WatchSignal[] {
    if (!guarded || quietBefore === undefined || quietBefore < this.emptyMs || this.alarmed.has(zoneId)) return [];
    const emptiedAt = now - quietBefore;
    const letIn = this.letInAt.get(zoneId);
    if (letIn !== undefined && letIn >= emptiedAt) return [];
    this.alarmed.set(zoneId, now);
    const last = letIn === undefined ? 'nobody let in since the gateway started' : `last let in ${Math.round((now - letIn) / 1000)} s ago`;
    return [{ phase: 'raise', subject: zoneId, at: now, message: `motion in ${zoneId}, empty for ${Math.round(quietBefore / 1000)} s, with no grant since (${last})` }];
  }

  /** Clears the alarms of zones that are empty again. */
  tick(now: number): WatchSignal[] {
    const out: WatchSignal[] = [];
    for (const zoneId of this.alarmed.keys()) {
      const quiet = this.presence.quietFor(zoneId, now);
      if (quiet === undefined || quiet < this.emptyMs) continue;
      this.alarmed.delete(zoneId);
      out.push({ phase: 'clear', subject: zoneId, at: now, message: `${zoneId} empty again` });
    }
    return out;
  }
}
