import type { DoorState, SiteMode } from '@cr/shared';

export type SafetyAlarm = 'door.forced' | 'door.held-open';

export interface SafetySignal {
  doorId: string;
  type: SafetyAlarm;
  /** raise: the condition started; clear: its cause went away */
  phase: 'raise' | 'clear';
  at: number;
}

interface DoorTrack {
  locked?: boolean;
  open: boolean;
  openSince?: number;
  /** a grant or an unlock command makes opening legitimate until this time */
  authorizedUntil: number;
  forced: boolean;
  heldOpen: boolean;
}

/** Grace after an authorization ends: a lock may report "locked" while the person is still in the doorway. */
export const AUTH_GRACE_MS = 2_000;

/** Authorizations past this are standing unlocks (an `unlock` command), not pulses. */
const STANDING = Number.MAX_SAFE_INTEGER / 2;

/**
 * Door safety tracking, pure: `door.forced` when a door opens while its lock reports locked and no
 * grant or unlock command covers it; `door.held-open` when it stands open past its limit. Both
 * clear when the door closes. In emergency-unlock doors are meant to stand open: nothing is raised.
 */
export class DoorSafety {
  private readonly doors = new Map<string, DoorTrack>();

  private track(doorId: string): DoorTrack {
    let t = this.doors.get(doorId);
    if (!t) {
      t = { open: false, authorizedUntil: 0, forced: false, heldOpen: false };
      this.doors.set(doorId, t);
    }
    return t;
  }

  /** A grant (pulse-unlock) or an unlock command: opening is legitimate until `until`. */
  authorize(doorId: string, until: number): void {
    const t = this.track(doorId);
    t.authorizedUntil = Math.max(t.authorizedUntil, until + AUTH_GRACE_MS);
  }

  /** A lock command ends any standing authorization. */
  revoke(doorId: string): void {
    this.track(doorId).authorizedUntil = 0;
  }

  forget(doorId: string): void {
    this.doors.delete(doorId);
  }

  onState(doorId: string, state: Pick<DoorState, 'locked' | 'open'>, now: number, mode: SiteMode): SafetySignal[] {
    const t = this.track(doorId);
    const signals: SafetySignal[] = [];
    const opened = state.open && !t.open;
    const closed = !state.open && t.open;
    t.locked = state.locked;
    t.open = state.open;
    if (opened) {
      t.openSince = now;
      if (state.locked && now > t.authorizedUntil && mode !== 'emergency-unlock') {
        t.forced = true;
        signals.push({ doorId, type: 'door.forced', phase: 'raise', at: now });
      }
    }
    if (closed) {
      t.openSince = undefined;
      if (t.forced) signals.push({ doorId, type: 'door.forced', phase: 'clear', at: now });
      if (t.heldOpen) signals.push({ doorId, type: 'door.held-open', phase: 'clear', at: now });
      t.forced = false;
      t.heldOpen = false;
    }
    return signals;
  }

  /** Held-open detection; `limitOf` gives each door's limit (its config or the site default). */
  tick(now: number, mode: SiteMode, limitOf: (doorId: string) => number): SafetySignal[] {
    if (mode === 'emergency-unlock') return [];
    const signals: SafetySignal[] = [];
    for (const [doorId, t] of this.doors) {
      if (!t.open || t.heldOpen || t.openSince === undefined) continue;
      if (now - t.openSince > limitOf(doorId)) {
        t.heldOpen = true;
        signals.push({ doorId, type: 'door.held-open', phase: 'raise', at: t.openSince });
      }
    }
    return signals;
  }

  /** The door confirmed a lock or unlock command: its lock is in that state now. */
  confirmed(doorId: string, action: 'lock' | 'unlock' | 'pulse-unlock'): void {
    if (action !== 'pulse-unlock') this.track(doorId).locked = action === 'lock';
  }

  /** The door was away: what its lock last said may no longer hold. */
  forgetLock(doorId: string): void {
    const t = this.doors.get(doorId);
    if (t) t.locked = undefined;
  }

  /** What the door's lock last reported (undefined: nothing yet). */
  lockedOf(doorId: string): boolean | undefined {
    return this.doors.get(doorId)?.locked;
  }

  /** A grant's pulse (or its grace) is running: the door relocks by itself. */
  pulsing(doorId: string, now: number): boolean {
    const until = this.doors.get(doorId)?.authorizedUntil ?? 0;
    return until > now && until < STANDING;
  }

  /** Opening is legitimate now: a pulse, or a standing unlock commanded by a person. */
  authorized(doorId: string, now: number): boolean {
    return (this.doors.get(doorId)?.authorizedUntil ?? 0) > now;
  }

  isOpen(doorId: string): boolean {
    return this.doors.get(doorId)?.open ?? false;
  }
}
