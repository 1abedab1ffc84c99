import { z } from 'zod';
import { Store } from './store';

/**
 * The LAN token (2 h, for the user's sites' edges only; the cloud API refuses it) that lets this
 * console talk to a site's edge while the internet is down.
 * Fetched from the cloud while online and kept for the signed-in user only.
 */
const lanTokenEntrySchema = z.object({ userId: z.string(), token: z.string(), expiresAt: z.number() });
export type LanTokenEntry = z.infer<typeof lanTokenEntrySchema>;
const KEY = 'cr.lanToken';

export class LanTokenStore extends Store<LanTokenEntry | undefined> {
  constructor(private readonly storage: Storage | undefined) {
    let saved: LanTokenEntry | undefined;
    try {
      const r = lanTokenEntrySchema.safeParse(JSON.parse(storage?.getItem(KEY) ?? 'null'));
      saved = r.success ? r.data : undefined;
    } catch {
      saved = undefined;
    }
    super(saved);
  }

  override set(next: LanTokenEntry | undefined): void {
    super.set(next);
    if (next) this.storage?.setItem(KEY, JSON.stringify(next));
    else this.storage?.removeItem(KEY);
  }

  /** A usable token for `userId`, or undefined when missing, expired or someone else's. */
  validFor(userId: string, now = Date.now()): string | undefined {
    const e = this.get();
    return e && e.userId === userId && e.expiresAt > now + 60_000 ? e.token : undefined;
  }
}
