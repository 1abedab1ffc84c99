/** Where a reading stands against its limit: past it, clearly back inside, or in the margin between. */
export type Reading = 'past' | 'inside' | 'margin';

export interface SustainedChange {
  phase: 'raise' | 'clear';
  key: string;
  /** raise: when the reading first went past the limit; clear: when it came back inside */
  at: number;
}

/**
 * A condition that counts only once it has held for `sustainMs` (a short spike raises nothing),
 * and ends only once the reading is clearly back inside (a reading hovering at the limit does not
 * toggle the alarm). Keyed by what is measured, e.g. `env-office|co2`.
 */
export class SustainedCondition {
  private readonly tracks = new Map<string, { since?: number; raised: boolean }>();

  constructor(private readonly sustainMs: number) {}

  /** A new reading; returns a change when it clears a raised condition (raising waits for `tick`, or this reading once sustained). */
  update(key: string, reading: Reading, now: number): SustainedChange[] {
    const t = this.tracks.get(key) ?? { raised: false };
    this.tracks.set(key, t);
    if (reading === 'past') {
      t.since ??= now;
      return this.due(key, t, now);
    }
    if (reading === 'margin') return this.due(key, t, now);
    t.since = undefined;
    if (!t.raised) return [];
    t.raised = false;
    return [{ phase: 'clear', key, at: now }];
  }

  /** Raises the conditions that have now held long enough. */
  tick(now: number): SustainedChange[] {
    const out: SustainedChange[] = [];
    for (const [key, t] of this.tracks) out.push(...this.due(key, t, now));
    return out;
  }

  /** Starts the clock again (the target moved, e.g. a new HVAC set-point); a raised condition stays raised. */
  restart(key: string, now: number): void {
    const t = this.tracks.get(key);
    if (t?.since !== undefined && !t.raised) t.since = now;
  }

  forget(key: string): void {
    this.tracks.delete(key);
  }

  private due(key: string, t: { since?: number; raised: boolean }, now: number): SustainedChange[] {
    if (t.raised || t.since === undefined || now - t.since < this.sustainMs) return [];
    t.raised = true;
    return [{ phase: 'raise', key, at: t.since }];
  }
}
