/**
 * Failed-login throttle with delays that grow, never a lock-out someone else can impose.
 *
 * Threats and what answers each:
 * - guessing one account's password from one address: the (account, address) pair waits
 *   `base × 2^(failures − free)` after its free attempts, up to `maxDelayMs`; every attempt made
 *   while it must wait counts too, so hammering only lengthens the wait;
 * - one address trying many accounts (spraying): the address has its own, more generous budget
 *   (a control room signs in from behind one NAT);
 * - many addresses guessing one account: once an account collects failures, every address that
 *   has itself failed on it waits too, at most `maxAccountDelayMs` after its own last attempt.
 * An address that has not failed on an account never waits for that account's failures elsewhere,
 * so an attacker cannot lock the operator out from another address. Nothing is checked before a
 * wait is over, so a throttled attempt costs no password hash.
 */
export interface LoginLimits {
  /** failures a pair gets before it waits */
  pairFree: number;
  /** failures an address gets (over all accounts) before it waits */
  sourceFree: number;
  /** failures an account gets (over all addresses) before addresses that failed on it wait */
  accountFree: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** cap of the account-wide wait: an operator who mistyped once is never held longer */
  maxAccountDelayMs: number;
  /** failures are forgotten after this long without another */
  forgetMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  pairFree: 5,
  sourceFree: 30,
  accountFree: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  maxAccountDelayMs: 60_000,
  forgetMs: 60 * 60_000,
};

interface Tally {
  failures: number;
  last: number;
}

/** Most keys each table keeps before sweeping forgotten ones. Threat: memory exhaustion with invented e-mails. */
const MAX_KEYS = 100_000;

class Tallies {
  private readonly map = new Map<string, Tally>();

  constructor(private readonly forgetMs: number) {}

  get(key: string, now: number): Tally | undefined {
    const t = this.map.get(key);
    if (t && now - t.last >= this.forgetMs) {
      this.map.delete(key);
      return undefined;
    }
    return t;
  }

  add(key: string, now: number): void {
    const t = this.get(key, now);
    this.map.set(key, { failures: (t?.failures ?? 0) + 1, last: now });
    if (this.map.size > MAX_KEYS) this.sweep(now);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  private sweep(now: number): void {
    for (const [k, t] of this.map) if (now - t.last >= this.forgetMs) this.map.delete(k);
    // Still too many live keys (a flood of distinct ones): drop the oldest half rather than grow.
    if (this.map.size > MAX_KEYS) for (const k of [...this.map.keys()].slice(0, this.map.size / 2)) this.map.delete(k);
  }
}

export class LoginRateLimit {
  private readonly limits: LoginLimits;
  private readonly pairs: Tallies;
  private readonly sources: Tallies;
  private readonly accounts: Tallies;

  constructor(limits: Partial<LoginLimits> = {}) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
    this.pairs = new Tallies(this.limits.forgetMs);
    this.sources = new Tallies(this.limits.forgetMs);
    this.accounts = new Tallies(this.limits.forgetMs);
  }

  private delay(t: Tally | undefined, free: number, cap: number): number {
    if (!t || t.failures < free) return 0;
    const exp = Math.min(30, t.failures - free);
    return Math.min(cap, this.limits.baseDelayMs * 2 ** exp);
  }

  private waitFor(t: Tally | undefined, free: number, cap: number, now: number): number {
    return t ? Math.max(0, t.last + this.delay(t, free, cap) - now) : 0;
  }

  /**
   * Milliseconds `source` must still wait before trying `email`, 0 when it may try now. A refused
   * attempt counts as a failure of the pair and the address, so the wait grows while someone keeps
   * knocking.
   */
  check(email: string, source: string, now = Date.now()): number {
    const l = this.limits;
    const pairKey = `${email.toLowerCase()}\n${source}`;
    const pair = this.pairs.get(pairKey, now);
    const account = this.accounts.get(email.toLowerCase(), now);
    const wait = Math.max(
      this.waitFor(pair, l.pairFree, l.maxDelayMs, now),
      this.waitFor(this.sources.get(source, now), l.sourceFree, l.maxDelayMs, now),
      // Counted from this pair's own last attempt: others' failures never keep it waiting longer.
      pair ? Math.max(0, pair.last + this.delay(account, l.accountFree, l.maxAccountDelayMs) - now) : 0,
    );
    if (wait > 0) {
      this.pairs.add(pairKey, now);
      this.sources.add(source, now);
      return Math.max(wait, this.waitFor(this.pairs.get(pairKey, now), l.pairFree, l.maxDelayMs, now));
    }
    return 0;
  }

  /** A wrong password (or unknown or disabled account). */
  fail(email: string, source: string, now = Date.now()): void {
    this.pairs.add(`${email.toLowerCase()}\n${source}`, now);
    this.sources.add(source, now);
    this.accounts.add(email.toLowerCase(), now);
  }

  /**
   * A correct password: the pair starts afresh. The address and the account keep their counts, so
   * one known password does not buy a sprayer or a distributed guesser a clean slate.
   */
  succeed(email: string, source: string): void {
    this.pairs.delete(`${email.toLowerCase()}\n${source}`);
  }
}
