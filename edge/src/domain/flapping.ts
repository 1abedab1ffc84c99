import type { WatchSignal } from './watch-signal';

/**
 * A flapping device, pure: one that dropped offline more than `maxDrops` times within `windowMs`
 * (a loose cable, a failing supply, weak Wi-Fi). One alarm for the whole episode, however many
 * drops it holds; the cause clears once the device stayed up for a whole window.
 */
export class Flapping {
  private readonly drops = new Map<string, number[]>();
  private readonly alarmed = new Set<string>();

  constructor(
    private readonly maxDrops: number,
    private readonly windowMs: number,
  ) {}

  /** The device's availability changed (as the gateway reports it). */
  change(deviceId: string, online: boolean, now: number): WatchSignal[] {
    if (online) return [];
    const recent = (this.drops.get(deviceId) ?? []).filter((t) => now - t < this.windowMs);
    recent.push(now);
    this.drops.set(deviceId, recent);
    if (recent.length <= this.maxDrops || this.alarmed.has(deviceId)) return [];
    this.alarmed.add(deviceId);
    const minutes = Math.round(this.windowMs / 6_000) / 10;
    return [{ phase: 'raise', subject: deviceId, at: now, message: `went offline ${recent.length} times within ${minutes} min` }];
  }

  /** Clears devices whose last drop is a whole window ago; forgets drops older than the window. */
  tick(now: number): WatchSignal[] {
    const out: WatchSignal[] = [];
    for (const [deviceId, list] of this.drops) {
      const recent = list.filter((t) => now - t < this.windowMs);
      if (recent.length > 0) {
        this.drops.set(deviceId, recent);
        continue;
      }
      this.drops.delete(deviceId);
      if (!this.alarmed.delete(deviceId)) continue;
      out.push({ phase: 'clear', subject: deviceId, at: now, message: `no drop for ${Math.round(this.windowMs / 1000)} s` });
    }
    return out;
  }

  /** Whether the device's flapping episode is open (raised, not yet cleared). */
  isFlapping(deviceId: string): boolean {
    return this.alarmed.has(deviceId);
  }

  forget(deviceId: string): void {
    this.drops.delete(deviceId);
    this.alarmed.delete(deviceId);
  }
}
