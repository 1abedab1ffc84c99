import type { WebSocket } from 'ws';
import { DEFAULT_SYNC_LIMITS, SyncBudget, type SyncLimits } from './sync-throttle';

/** Close code for a socket whose user was disabled or changed (same as a bad token: sign in again). */
export const ACCOUNT_CHANGED_CLOSE = 4401;
/** Close code for a socket beyond the user's limit of open sockets (policy violation). */
export const TOO_MANY_SOCKETS_CLOSE = 1008;

/**
 * Open sync sockets per signed-in user, and each user's sync budget. A token is checked when a
 * socket opens; when the account is disabled, re-scoped or its password reset, its open sockets
 * are closed too.
 * Threat: a disabled or demoted user's open console keeps receiving and writing live site state.
 * Threat: one user opening sockets without end, or spending everyone's share of the sync server.
 */
export class UserSockets {
  private readonly byUser = new Map<string, Set<WebSocket>>();
  private readonly budgets = new Map<string, SyncBudget>();

  constructor(private limits: SyncLimits = DEFAULT_SYNC_LIMITS) {}

  /** Changes the per-user limits (tests, tuning); budgets start again from full. */
  setLimits(limits: Partial<SyncLimits>): void {
    this.limits = { ...this.limits, ...limits };
    this.budgets.clear();
  }

  /** Registers a socket; false (and the socket closed) when the user already holds the most allowed. */
  add(userId: string, ws: WebSocket): boolean {
    const set = this.byUser.get(userId) ?? new Set<WebSocket>();
    if (set.size >= this.limits.maxSockets) {
      ws.close(TOO_MANY_SOCKETS_CLOSE, 'too many open sync connections');
      return false;
    }
    set.add(ws);
    this.byUser.set(userId, set);
    ws.once('close', () => {
      set.delete(ws);
      if (set.size === 0 && this.byUser.get(userId) === set) this.byUser.delete(userId);
    });
    return true;
  }

  /** The budget all of a user's sockets draw on (kept while spent, so reconnecting does not refill it). */
  budget(userId: string, now = Date.now()): SyncBudget {
    let b = this.budgets.get(userId);
    if (!b) {
      this.forgetIdle(now);
      b = new SyncBudget(this.limits, now);
      this.budgets.set(userId, b);
    }
    return b;
  }

  private forgetIdle(now: number): void {
    if (this.budgets.size < 256) return;
    for (const [id, b] of this.budgets) if (!this.byUser.has(id) && b.idle(now)) this.budgets.delete(id);
  }

  /** Closes every open sync socket of a user; returns how many. */
  closeUser(userId: string, reason = 'account changed; sign in again'): number {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    for (const ws of set) ws.close(ACCOUNT_CHANGED_CLOSE, reason);
    return set.size;
  }
}
