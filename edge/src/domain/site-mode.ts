import { authorize, mayResetFire, type DoorAction, type Principal, type SiteMode } from '@cr/shared';

export interface ModeState {
  mode: SiteMode;
  /** true from a fire alarm until an authorized reset */
  fireActive: boolean;
  changedAt?: number;
  changedBy?: string;
  /** fire panels whose last word (state or event) was an alarm */
  panelsInAlarm?: string[];
}

export const INITIAL_MODE: ModeState = { mode: 'normal', fireActive: false };

export type ModeChange = { ok: true; next: ModeState } | { ok: false; error: string };

/** A fire panel's alarm: fail-safe, every door unlocks, with or without anyone's approval. */
export function onFireAlarm(now: number): ModeState {
  return { mode: 'emergency-unlock', fireActive: true, changedAt: now, changedBy: 'fire-panel' };
}

export interface ModeRequest {
  mode: SiteMode;
  principal: Principal;
  tenantId: string;
  siteId: string;
  by: string;
  now: number;
}

/**
 * A person asks for a site mode. While a fire is active the only way out is a reset to `normal`
 * by someone `mayResetFire` allows (its own `fire.reset` permission), and only once no fire panel
 * still reports an alarm; nothing may lock the site down or secure it during a fire.
 */
export function requestMode(state: ModeState, req: ModeRequest): ModeChange {
  const allowed = authorize(req.principal, req.tenantId, { type: 'site.mode', siteId: req.siteId, mode: req.mode });
  if (!allowed.allowed) return { ok: false, error: `not authorized: ${allowed.reason ?? 'denied'}` };
  if (state.fireActive && req.mode !== 'emergency-unlock') {
    if (req.mode !== 'normal') return { ok: false, error: 'fire state active: only an authorized reset to normal is accepted' };
    if (!mayResetFire(req.principal, req.tenantId, req.siteId)) return { ok: false, error: 'not authorized to reset the fire state' };
    const alarming = state.panelsInAlarm ?? [];
    // Safety: a reset while a panel still sees fire would lock doors on people inside.
    if (alarming.length > 0) return { ok: false, error: `fire panel ${alarming.join(', ')} still reports an alarm: reset the panel first` };
  }
  const next: ModeState = { mode: req.mode, fireActive: state.fireActive && req.mode === 'emergency-unlock', changedAt: req.now, changedBy: req.by };
  return { ok: true, next };
}

/** Fail-safe guard: no lock of any kind while doors must stand open. */
export function mayLock(state: ModeState): boolean {
  return !state.fireActive && state.mode !== 'emergency-unlock';
}

/** Whether a door action is refused in this state, and why. */
export function refuseDoorAction(state: ModeState, action: DoorAction): string | undefined {
  if (action === 'lock' && !mayLock(state)) return 'doors stay unlocked until the fire state is reset by an authorized person';
  return undefined;
}

/**
 * What every door gets told when the mode changes: unlock all on emergency, lock all when leaving it,
 * locking down, or entering secure mode (doors left unlocked get locked).
 */
export function doorFanout(prev: ModeState, next: ModeState): DoorAction | undefined {
  if (next.mode === 'emergency-unlock') return prev.mode === 'emergency-unlock' ? undefined : 'unlock';
  if (next.mode === 'lockdown') return 'lock';
  if (prev.mode === 'emergency-unlock') return 'lock';
  if (next.mode === 'secure' && prev.mode !== 'secure') return 'lock';
  return undefined;
}

/** What the gateway knows of one door when it checks it against the site mode. */
export interface DoorView {
  /** what the lock last reported (undefined: nothing yet) */
  locked?: boolean;
  /** a pulse or a person's unlock makes it legitimately open */
  authorized: boolean;
}

/**
 * The command that brings one door back in line with the site mode, if it strayed: a door that
 * reports locked (or nothing) during an emergency is unlocked; a door unlocked without authority
 * during a lockdown (or not known to be locked) or in secure mode is locked.
 */
export function correctionFor(mode: SiteMode, door: DoorView): DoorAction | undefined {
  if (mode === 'emergency-unlock') return door.locked !== false ? 'unlock' : undefined;
  if (door.authorized) return undefined;
  if (mode === 'lockdown') return door.locked !== true ? 'lock' : undefined;
  if (mode === 'secure') return door.locked === false ? 'lock' : undefined;
  return undefined;
}
