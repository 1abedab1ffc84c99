import type { WebSocket } from 'ws';

/** Close code for a socket whose user was disabled or changed (same as a bad token: sign in again). */
export const ACCOUNT_CHANGED_CLOSE = 4401;

/**
 * Open sync sockets per signed-in user. A token is checked when a socket opens; when the account
 * is disabled, re-scoped or its password reset, its open sockets are closed too.
 * Threat: a disabled or demoted user's open console keeps receiving and writing live site state.
 */
export class UserSockets {
  private readonly byUser = new Map<string, Set<WebSocket>>();

  add(userId: string, ws: WebSocket): void {
    const set = this.byUser.get(userId) ?? new Set<WebSocket>();
    set.add(ws);
    this.byUser.set(userId, set);
    ws.once('close', () => {
      set.delete(ws);
      if (set.size === 0 && this.byUser.get(userId) === set) this.byUser.delete(userId);
    });
  }

  /** Closes every open sync socket of a user; returns how many. */
  closeUser(userId: string, reason = 'account changed; sign in again'): number {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    for (const ws of set) ws.close(ACCOUNT_CHANGED_CLOSE, reason);
    return set.size;
  }
}
