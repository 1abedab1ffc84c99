import { credentialKey, type AccessDecision, type Credential } from '@cr/shared';

/** Tuning of the PIN throttle; production uses PIN_THROTTLE_DEFAULTS. */
export interface PinThrottleOptions {
  /** wrong PINs within `windowMs` (on one reader, or for one credential) that start a lockout */
  maxFailures: number;
  windowMs: number;
  /** the first lockout; each further one doubles, up to `maxLockMs` */
  baseLockMs: number;
  maxLockMs: number;
  /** a reader or credential with no wrong PIN for this long starts again from the first lockout */
  forgetAfterMs: number;
  /** most readers and credentials tracked at once, each */
  maxKeys: number;
}

export const PIN_THROTTLE_DEFAULTS: PinThrottleOptions = {
  maxFailures: 5,
  windowMs: 5 * 60_000,
  baseLockMs: 30_000,
  maxLockMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxKeys: 10_000,
};

export type PinCheck = 'ok' | 'throttled';

/** A lockout that has just started: what the `pin-throttled` alert reports (never the PIN itself). */
export interface PinLockout {
  scope: 'reader' | 'credential';
  readerId: string;
  until: number;
  /** 1 for the first lockout since the key was last quiet, 2 for the next, … */
  lockouts: number;
}

interface Counter {
  /** times of recent wrong PINs, oldest first, at most maxFailures */
  failures: number[];
  lockedUntil: number;
  lockouts: number;
  lastFailure: number;
}

/**
 * Throttles PIN guessing at the edge. Threat: someone at a keypad (or a LAN client posing as a
 * reader) trying PINs until one opens the door; a 4–6 digit PIN falls to a few thousand tries.
 * Wrong PINs are counted per reader and per credential; `maxFailures` within `windowMs` lock that
 * reader (or that credential, everywhere on the site) for a delay that doubles with each lockout.
 * While locked every PIN is refused unread, the right one included, so a lockout cannot be probed.
 * Pure: the caller passes the time; state lives in memory only (a restart forgets it, which costs an
 * attacker a power cut per lockout and raises no less alarm).
 */
export class PinThrottle {
  private readonly readers = new Map<string, Counter>();
  private readonly credentials = new Map<string, Counter>();
  private readonly o: PinThrottleOptions;

  constructor(options: Partial<PinThrottleOptions> = {}) {
    this.o = { ...PIN_THROTTLE_DEFAULTS, ...options };
  }

  /** Whether a PIN may be checked now on this reader for this credential. */
  check(readerId: string, credentialKey: string, now: number): PinCheck {
    const locked = (c: Counter | undefined) => c !== undefined && now < c.lockedUntil;
    return locked(this.readers.get(readerId)) || locked(this.credentials.get(credentialKey)) ? 'throttled' : 'ok';
  }

  /** A wrong PIN was entered; returns the lockouts it starts (zero, one or both scopes). */
  failed(readerId: string, credentialKey: string, now: number): PinLockout[] {
    const started: PinLockout[] = [];
    const r = this.count(this.readers, readerId, now);
    if (r) started.push({ scope: 'reader', readerId, ...r });
    const c = this.count(this.credentials, credentialKey, now);
    if (c) started.push({ scope: 'credential', readerId, ...c });
    return started;
  }

  /**
   * The right PIN was entered: the credential's count starts again. The reader's does not, or
   * anyone knowing one valid PIN could wipe the reader's count between guesses.
   */
  succeeded(_readerId: string, credentialKey: string, now: number): void {
    const c = this.credentials.get(credentialKey);
    if (c && now >= c.lockedUntil) this.credentials.delete(credentialKey);
  }

  /** Readers and credentials tracked (for tests and metrics). */
  get tracked(): { readers: number; credentials: number } {
    return { readers: this.readers.size, credentials: this.credentials.size };
  }

  private count(map: Map<string, Counter>, key: string, now: number): { until: number; lockouts: number } | undefined {
    let c = map.get(key);
    if (c && now - c.lastFailure > this.o.forgetAfterMs && now >= c.lockedUntil) c = undefined;
    c ??= { failures: [], lockedUntil: 0, lockouts: 0, lastFailure: 0 };
    // Most recently failed last: eviction below drops the key quiet for longest.
    map.delete(key);
    map.set(key, c);
    this.evict(map);
    if (now < c.lockedUntil) return undefined;
    c.lastFailure = now;
    c.failures = c.failures.filter((t) => now - t < this.o.windowMs);
    c.failures.push(now);
    if (c.failures.length < this.o.maxFailures) return undefined;
    c.failures = [];
    c.lockouts++;
    const delay = Math.min(this.o.maxLockMs, this.o.baseLockMs * 2 ** Math.min(c.lockouts - 1, 30));
    c.lockedUntil = now + delay;
    return { until: c.lockedUntil, lockouts: c.lockouts };
  }

  /**
   * Threat: memory growth from endless distinct wrong PINs. The oldest keys go first; a locked key is
   * not refreshed while locked, but reaching it would take maxKeys wrong PINs, which the reader
   * throttle stops long before.
   */
  private evict(map: Map<string, Counter>): void {
    while (map.size > this.o.maxKeys) map.delete(map.keys().next().value!);
  }
}

/**
 * A PIN that matched no member, in a decision that looked it up: unknown, or refused by the site
 * mode (lockdown, emergency) before anything else. A PIN that matched is no guess, whatever its
 * grant says; a reader not yet admitted never looks the PIN up.
 */
export const isWrongPin = (credentialType: string, d: Pick<AccessDecision, 'reason' | 'memberId'>): boolean =>
  credentialType === 'pin' &&
  d.memberId === undefined &&
  (d.reason === 'unknown-credential' || d.reason === 'site-mode');

/**
 * The access decision with the throttle around it, for PINs only (cards and tags are not
 * guessable at a keypad): refused unread with `throttled` while the reader or the PIN is locked,
 * otherwise decided by `decide` and counted; `onLockout` hears each lockout that starts (the alert).
 */
export function decideThrottled(
  pins: PinThrottle,
  readerId: string,
  credential: Credential,
  now: number,
  decide: () => AccessDecision,
  onLockout: (lockout: PinLockout) => void,
): AccessDecision {
  if (credential.type !== 'pin') return decide();
  const key = credentialKey(credential);
  if (pins.check(readerId, key, now) === 'throttled') return { granted: false, reason: 'throttled' };
  const decision = decide();
  if (isWrongPin(credential.type, decision)) pins.failed(readerId, key, now).forEach(onLockout);
  else if (decision.memberId !== undefined) pins.succeeded(readerId, key, now);
  return decision;
}

/** The alert text for a lockout: names the reader and the scope, never the PIN. */
export function pinLockoutMessage(l: PinLockout, now: number): string {
  const seconds = Math.ceil((l.until - now) / 1000);
  return l.scope === 'reader'
    ? `repeated wrong PINs on reader ${l.readerId}: PIN entry refused there for ${seconds} s (lockout ${l.lockouts})`
    : `repeated wrong attempts with one PIN credential (last on reader ${l.readerId}): refused on every reader for ${seconds} s (lockout ${l.lockouts})`;
}
