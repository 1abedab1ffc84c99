import { revocationsSchema, type RevocationsMessage } from '@cr/shared';
import type { Settings } from '../store/db';

const KEY = 'cloud.revocations';

type Entry = { before: number; until: number };

/**
 * The tenant's revocation list as the cloud last sent it (`revocations` on the edge link), kept in
 * SQLite so it still holds after a restart without the cloud. Threat: a LAN token of a person who
 * was disabled, re-scoped or signed out keeps opening doors at the site for the rest of its life.
 */
export class RevocationList {
  private users = new Map<string, Entry>();
  private tokens = new Map<string, number>();

  constructor(
    private readonly settings: Settings,
    private readonly now: () => number = Date.now,
  ) {
    try {
      const saved = revocationsSchema.safeParse(JSON.parse(settings.get(KEY) ?? 'null'));
      if (saved.success) this.take(saved.data);
    } catch {
      // an unreadable list is replaced by the next one the cloud sends
    }
  }

  /** Replaces the list (the cloud always sends all of it) and persists it before anything else runs. */
  replace(list: RevocationsMessage): void {
    this.take(list);
    this.settings.set(KEY, JSON.stringify(list));
  }

  private take(list: RevocationsMessage): void {
    const now = this.now();
    this.users = new Map(
      list.users.filter((u) => u.until > now).map((u) => [u.userId, { before: u.before, until: u.until }]),
    );
    this.tokens = new Map(list.tokens.filter((t) => t.until > now).map((t) => [t.jti, t.until]));
  }

  get size(): number {
    return this.users.size + this.tokens.size;
  }

  /** Why a person's token is refused, or undefined when it is not revoked. `iat` in seconds (may be fractional). */
  refuses(token: { sub: string; jti: string; iat: number }): string | undefined {
    const now = this.now();
    const tokenUntil = this.tokens.get(token.jti);
    if (tokenUntil !== undefined && tokenUntil > now) return 'token revoked';
    const user = this.users.get(token.sub);
    if (user && user.until > now && Math.round(token.iat * 1000) < user.before)
      return 'the account was disabled or changed since this token was issued';
    return undefined;
  }
}
