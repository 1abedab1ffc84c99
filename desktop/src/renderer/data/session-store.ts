import { z } from 'zod';
import { userSchema, type User } from './api-types';
import { Store } from './store';

/**
 * The signed-in session. Kept in localStorage so a console that reloads after a crash, or a laptop
 * opened without internet, still knows who is signed in and can show that user's last state; the
 * access token is short-lived (15 min) and the refresh token rotates on every use.
 */
export const sessionSchema = z.object({ user: userSchema, accessToken: z.string(), refreshToken: z.string(), cloudUrl: z.string() });
export type Session = z.infer<typeof sessionSchema>;

const KEY = 'cr.session';

function load(storage: Storage | undefined): Session | undefined {
  try {
    const raw = storage?.getItem(KEY);
    const parsed = raw ? sessionSchema.safeParse(JSON.parse(raw)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export class SessionStore extends Store<Session | undefined> {
  constructor(private readonly storage: Storage | undefined, cloudUrl: string) {
    const saved = load(storage);
    // A session of another cloud is not this console's session.
    super(saved?.cloudUrl === cloudUrl ? saved : undefined);
  }

  override set(next: Session | undefined): void {
    super.set(next);
    try {
      if (next) this.storage?.setItem(KEY, JSON.stringify(next));
      else this.storage?.removeItem(KEY);
    } catch {
      // storage full or disabled: the session still works for this tab
    }
  }

  user(): User | undefined {
    return this.get()?.user;
  }
}
