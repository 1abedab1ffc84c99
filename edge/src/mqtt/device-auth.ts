import type { Client } from 'aedes';
import { mayPublish, maySubscribe } from './device-acl';
import type { DeviceUser } from './device-users';
import { VerifiedPasswords } from './password';

export type Refusal = 'login' | 'publish' | 'subscribe';

/**
 * Username/password logins and the per-device ACL of the embedded broker (`--mqtt-users`).
 * Threat: any client on the site LAN connecting and announcing itself as a fire panel or a door.
 */
export class DeviceAuth {
  private readonly users: Map<string, DeviceUser>;
  private readonly sessions = new WeakMap<Client, DeviceUser>();
  private readonly passwords = new VerifiedPasswords();

  constructor(
    private readonly siteId: string,
    users: DeviceUser[],
    private readonly onRefused: (why: Refusal, detail: string) => void,
  ) {
    this.users = new Map(users.map((u) => [u.username, u]));
  }

  /** Resolves the login of a connecting client; undefined refuses it. */
  async login(client: Client, username: string | undefined, password: Buffer | undefined): Promise<DeviceUser | undefined> {
    const user = username === undefined ? undefined : this.users.get(username);
    const ok = user !== undefined && password !== undefined && (await this.passwords.verify(user.username, password.toString('utf8'), user.passwordHash));
    if (!ok) {
      this.onRefused('login', `client ${JSON.stringify(client.id.slice(0, 64))} as ${JSON.stringify((username ?? '(none)').slice(0, 64))}`);
      return undefined;
    }
    this.sessions.set(client, user);
    return user;
  }

  /** `client` null: a will the broker publishes for a client no longer known; refused with auth on. */
  mayPublish(client: Client | null, topic: string): boolean {
    const user = client ? this.sessions.get(client) : undefined;
    const ok = user !== undefined && mayPublish(user, this.siteId, topic);
    if (!ok) this.onRefused('publish', `${user?.username ?? '(no login)'} may not publish on ${topic.slice(0, 120)}`);
    return ok;
  }

  maySubscribe(client: Client, filter: string): boolean {
    const user = this.sessions.get(client);
    const ok = user !== undefined && maySubscribe(user, this.siteId, filter);
    if (!ok) this.onRefused('subscribe', `${user?.username ?? '(no login)'} may not subscribe to ${filter.slice(0, 120)}`);
    return ok;
  }
}
