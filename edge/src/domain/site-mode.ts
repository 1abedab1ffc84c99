import { authorize, mayResetFire, type DoorAction, type Principal, type SiteMode } from '@cr/shared';

export interface ModeState {
  mode: SiteMode;
  /** true from a fire alarm until an authorized reset */
  fireActive: boolean;
  changedAt?: number;
  changedBy?: string;
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
 * by someone `mayResetFire` allows; nothing may lock the site down or secure it during a fire.
 */
export function requestMode(state: ModeState, req: ModeRequest): ModeChange {
  const allowed = authorize(req.principal, req.tenantId, { type: 'site.mode', siteId: req.siteId, mode: req.mode });
  if (!allowed.allowed) return { ok: false, error: `not authorized: ${allowed.reason ?? 'denied'}` };
  if (state.fireActive && req.mode !== 'emergency-unlock') {
    if (req.mode !== 'normal') return { ok: false, error: 'fire state active: only an authorized reset to normal is accepted' };
    if (!mayResetFire(req.principal, req.tenantId, req.siteId)) return { ok: false, error: 'not authorized to reset the fire state' };
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

/** What every door gets told when the mode changes: unlock all on emergency, lock all when leaving it or locking down. */
export function doorFanout(prev: ModeState, next: ModeState): DoorAction | undefined {
  if (next.mode === 'emergency-unlock') return prev.mode === 'emergency-unlock' ? undefined : 'unlock';
  if (next.mode === 'lockdown') return 'lock';
  if (prev.mode === 'emergency-unlock') return 'lock';
  return undefined;
}
