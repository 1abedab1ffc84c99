import { SustainedCondition, type SustainedChange } from './sustained';
import type { WatchSignal } from './watch-signal';

/** Back under this share of the limit counts as the high draw having ended. */
const CLEAR_SHARE = 0.9;

/**
 * High power draw, pure: a meter reading above `maxWatts` for `sustainMs` (a motor's start-up
 * surge raises nothing); clears once the draw is back under 90 % of the limit.
 */
export class PowerWatch {
  private readonly condition: SustainedCondition;
  private readonly last = new Map<string, number>();

  constructor(
    private readonly maxWatts: number,
    private readonly sustainMs: number,
  ) {
    this.condition = new SustainedCondition(sustainMs);
  }

  reading(deviceId: string, watts: number, now: number): WatchSignal[] {
    this.last.set(deviceId, watts);
    const verdict = watts > this.maxWatts ? 'past' : watts <= this.maxWatts * CLEAR_SHARE ? 'inside' : 'margin';
    return this.signals(this.condition.update(deviceId, verdict, now));
  }

  tick(now: number): WatchSignal[] {
    return this.signals(this.condition.tick(now));
  }

  forget(deviceId: string): void {
    this.last.delete(deviceId);
    this.condition.forget(deviceId);
  }

  private signals(changes: SustainedChange[]): WatchSignal[] {
    return changes.map((c) => {
      const watts = this.last.get(c.key);
      const message = c.phase === 'raise' ? `drawing ${watts} W, above ${this.maxWatts} W for ${Math.round(this.sustainMs / 1000)} s` : `draw back to ${watts} W`;
      return { phase: c.phase, subject: c.key, at: c.at, message };
    });
  }
}
