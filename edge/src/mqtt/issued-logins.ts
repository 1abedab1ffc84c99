import { z } from 'zod';
import { idSchema, type CloudToEdge } from '@cr/shared';
import type { Settings } from '../store/db';
import { isPasswordHash } from './password';
import type { DeviceUser } from './device-users';

const KEY = 'mqtt.issued-logins';

const issuedSchema = z.array(z.object({ deviceId: idSchema, username: z.string().min(1).max(128), passwordHash: z.string().refine(isPasswordHash) }));
type Issued = z.infer<typeof issuedSchema>[number];

/**
 * The per-device MQTT logins the cloud issued for this site (CONTRACT.md §6): each speaks for its
 * own device only. Taken from the cloud (a snapshot at every connection, a delta per change), kept
 * in SQLite so an offline restart still knows them, and a revocation made while the site was
 * offline takes effect at the next connection. A login with a hash this edge cannot verify is
 * skipped, never trusted.
 */
export class IssuedLogins {
  private byUsername = new Map<string, Issued>();

  /** called with the logins whose live sessions must end (the broker's auth sets it) */
  onRevoked: (usernames: string[]) => void = () => undefined;

  constructor(private readonly settings: Settings) {
    const stored = settings.get(KEY);
    const parsed = stored === undefined ? undefined : issuedSchema.safeParse(safeJson(stored));
    if (parsed?.success) this.byUsername = new Map(parsed.data.map((l) => [l.username, l]));
  }

  get(username: string): DeviceUser | undefined {
    const l = this.byUsername.get(username);
    return l ? { username: l.username, passwordHash: l.passwordHash, deviceIds: [l.deviceId] } : undefined;
  }

  get size(): number {
    return this.byUsername.size;
  }

  /** Applies the cloud's logins; returns the usernames no longer valid as they were (revoked or rotated), whose sessions must end. */
  adopt(msg: Extract<CloudToEdge, { type: 'device.logins' }>): string[] {
    const next = msg.kind === 'snapshot' ? new Map<string, Issued>() : new Map(this.byUsername);
    if (msg.kind === 'delta') for (const [u, l] of next) if (msg.removals.includes(l.deviceId)) next.delete(u);
    for (const l of msg.upserts) {
      if (!isPasswordHash(l.passwordHash)) continue;
      // One login per device: a rotation under another name replaces the old one.
      for (const [u, old] of next) if (old.deviceId === l.deviceId) next.delete(u);
      next.set(l.username, { deviceId: l.deviceId, username: l.username, passwordHash: l.passwordHash });
    }
    const ended = [...this.byUsername.values()].filter((old) => next.get(old.username)?.passwordHash !== old.passwordHash).map((l) => l.username);
    this.byUsername = next;
    this.settings.set(KEY, JSON.stringify([...next.values()]));
    if (ended.length > 0) this.onRevoked(ended);
    return ended;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
