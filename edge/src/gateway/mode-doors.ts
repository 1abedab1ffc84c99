import type { DoorAction, DoorReport, SiteMode } from '@cr/shared';
import { correctionFor } from '../domain/site-mode';
import type { DoorSafety } from '../domain/door-safety';
import type { DeviceRegistry } from '../domain/device-registry';
import type { DoorCommander } from './door-commander';

/** A door that keeps straying is corrected at most this often (a lock that refuses must not be flooded). */
const CORRECTION_GAP_MS = 500;

/**
 * The doors' side of the site mode: commands every door a mode change concerns (at once for a fire,
 * with a per-door result for a person's mode command) and brings back in line any door that comes
 * online, joins, or reports a state that contradicts the mode.
 */
export class ModeDoors {
  private readonly lastCorrection = new Map<string, number>();

  constructor(
    private readonly commander: DoorCommander,
    private readonly registry: DeviceRegistry,
    private readonly doors: DoorSafety,
    private readonly now: () => number,
  ) {}

  /** Doors an action goes to: a lock never cuts a running grant's pulse short (the door relocks by itself). */
  private targets(action: DoorAction): string[] {
    const now = this.now();
    return this.registry.doorIds().filter((id) => action !== 'lock' || !this.doors.pulsing(id, now));
  }

  /** Every door at once, nobody waiting (the fire path). */
  send(action: DoorAction, reason: string): void {
    for (const doorId of this.targets(action)) this.commander.send(doorId, action, reason);
  }

  /**
   * Every door, each awaited until `expiresAt`: `confirmed`, `no-answer` (reachable but silent),
   * `offline` (known to be offline: commanded anyway, not waited for) or `failed` (the door said no).
   */
  async sendConfirmed(action: DoorAction, reason: string, expiresAt: number): Promise<DoorReport[]> {
    return Promise.all(
      this.targets(action).map(async (doorId): Promise<DoorReport> => {
        if (this.registry.get(doorId)?.reportedOnline === false) {
          this.commander.send(doorId, action, reason, { expiresAt });
          return { doorId, result: 'offline' };
        }
        const r = await this.commander.execute(doorId, action, reason, expiresAt);
        if (r.ok) return { doorId, result: 'confirmed' };
        return r.expired ? { doorId, result: 'no-answer' } : { doorId, result: 'failed', error: r.error.slice(0, 200) };
      }),
    );
  }

  /** Re-checks one door against the mode (it came online, joined, or reported its state). */
  enforce(doorId: string, mode: SiteMode): void {
    const now = this.now();
    const action = correctionFor(mode, { locked: this.doors.lockedOf(doorId), authorized: this.doors.authorized(doorId, now) });
    if (!action) return;
    if (now - (this.lastCorrection.get(doorId) ?? -Infinity) < CORRECTION_GAP_MS) return;
    this.lastCorrection.set(doorId, now);
    this.commander.send(doorId, action, `site in ${mode}: door brought back in line`);
  }
}
