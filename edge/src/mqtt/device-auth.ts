import type { Client } from 'aedes';
import { mayPublish, maySubscribe } from './device-acl';
import type { DeviceUser } from './device-users';
import type { IssuedLogins } from './issued-logins';
import { VerifiedPasswords } from './password';

export type Refusal = 'login' | 'publish' | 'subscribe';

/**
 * Username/password logins and the per-device ACL of the embedded broker: the site's users file
 * (`--mqtt-users`) and the per-device logins the cloud issued (`IssuedLogins`; the file's users win
 * a name they share). Threat: any client on the site LAN connecting and announcing itself as a fire
 * panel or a door; a login copied off one device, or kept after it was revoked.
 */
export class DeviceAuth {
  private readonly users: Map<string, DeviceUser>;
  private readonly sessions = new WeakMap<Client, DeviceUser>();
  private readonly clients = new Map<string, Set<Client>>();
  private readonly passwords = new VerifiedPasswords();

  constructor(
    private readonly siteId: string,
    users: DeviceUser[],
    private readonly onRefused: (why: Refusal, detail: string) => void,
    private readonly issued?: IssuedLogins,
  ) {
    this.users = new Map(users.map((u) => [u.username, u]));
  }

  private lookup(username: string): DeviceUser | undefined {
    return this.users.get(username) ?? this.issued?.get(username);
  }

  /** Resolves the login of a connecting client; undefined refuses it. */
  async login(client: Client, username: string | undefined, password: Buffer | undefined): Promise<DeviceUser | undefined> {
    const user = username === undefined ? undefined : this.lookup(username);
    const ok = user !== undefined && password !== undefined && (await this.passwords.verify(user.username, password.toString('utf8'), user.passwordHash));
    if (!ok) {
      this.onRefused('login', `client ${JSON.stringify(client.id.slice(0, 64))} as ${JSON.stringify((username ?? '(none)').slice(0, 64))}`);
      return undefined;
    }
    this.sessions.set(client, user);
    const open = this.clients.get(user.username) ?? new Set<Client>();
    open.add(client);
    this.clients.set(user.username, open);
    return user;
  }

  /** The session's login, while it is still in force as it was when the client logged in. */
  private current(client: Client | null): DeviceUser | undefined {
    const user = client ? this.sessions.get(client) : undefined;
    if (!user) return undefined;
    return this.lookup(user.username)?.passwordHash === user.passwordHash ? user : undefined;
  }

  /** Ends the live connections of logins that were revoked or rotated. */
  endSessions(usernames: string[]): number {
    let closed = 0;
    for (const name of usernames) {
      for (const client of this.clients.get(name) ?? []) {
        this.sessions.delete(client);
        client.close();
        closed++;
      }
      this.clients.delete(name);
    }
    return closed;
  }

  /** A client's connection ended. */
  disconnected(client: Client): void {
    const user = this.sessions.get(client);
    if (!user) return;
    const open = this.clients.get(user.username);
    open?.delete(client);
    if (open?.size === 0) this.clients.delete(user.username);
  }

  /** `client` null: a will the broker publishes for a client no longer known; refused with auth on. */
  mayPublish(client: Client | null, topic: string): boolean {
    const user = this.current(client);
    const ok = user !== undefined && mayPublish(user, this.siteId, topic);
    if (!ok) this.onRefused('publish', `${user?.username ?? '(no login)'} may not publish on ${topic.slice(0, 120)}`);
    return ok;
  }

  maySubscribe(client: Client, filter: string): boolean {
    const user = this.current(client);
    const ok = user !== undefined && maySubscribe(user, this.siteId, filter);
    if (!ok) this.onRefused('subscribe', `${user?.username ?? '(no login)'} may not subscribe to ${filter.slice(0, 120)}`);
    return ok;
  }
}
