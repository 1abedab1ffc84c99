import { splitPermissions, type CloudToEdge, type Member, type PermissionsMessage } from '@cr/shared';
import { memberForSite } from '../domain/member-model';
import type { MembersStore } from '../store/members-store';
import type { CloudMetrics } from '../metrics';

/** What the hub needs from a live edge connection. */
export interface EdgeSession {
  readonly tenantId: string;
  readonly siteId: string;
  readonly jti: string;
  /** permission version this edge holds (last sent or reported) */
  permissionsVersion: number;
  send(msg: CloudToEdge): boolean;
  close(code: number, reason: string): void;
}

const key = (tenantId: string, siteId: string): string => `${tenantId}/${siteId}`;

/** Live edge links, one per site: commands and permission changes go out through here. */
export class LinkHub {
  private readonly sessions = new Map<string, EdgeSession>();

  constructor(
    private readonly members: MembersStore,
    private readonly metrics: CloudMetrics,
  ) {}

  /** Registers a session; an older one for the same site is closed (a gateway replaced or reconnected). */
  attach(session: EdgeSession): void {
    const k = key(session.tenantId, session.siteId);
    const old = this.sessions.get(k);
    this.sessions.set(k, session);
    if (old && old !== session) old.close(4409, 'replaced by a newer connection of this site');
    this.metrics.edgeLinks.set(this.sessions.size);
  }

  detach(session: EdgeSession): void {
    const k = key(session.tenantId, session.siteId);
    if (this.sessions.get(k) === session) this.sessions.delete(k);
    this.metrics.edgeLinks.set(this.sessions.size);
  }

  session(tenantId: string, siteId: string): EdgeSession | undefined {
    return this.sessions.get(key(tenantId, siteId));
  }

  /**
   * Sends what changed since the edge's version: a snapshot for a new (or confused) edge, else a
   * delta. Either holds only members with a grant on the edge's site, with only those grants; a
   * changed member without one is sent as a removal, since the edge may hold them from before.
   * A large update leaves in parts of at most PERMISSION_CHUNK_BYTES; the edge applies it once all
   * parts are in, and a link lost in between leaves it at its old version (which its next hello names).
   */
  sendPermissions(session: EdgeSession): void {
    const current = this.members.version(session.tenantId);
    const from = session.permissionsVersion;
    const forSite = (m: Parameters<typeof memberForSite>[0]) => memberForSite(m, session.siteId);
    if (from === 0 || from > current) {
      const all = this.members.members(session.tenantId).flatMap((m) => forSite(m) ?? []);
      this.sendUpdate(session, { kind: 'snapshot', fromVersion: 0, version: current, upserts: all, removals: [] });
      return;
    }
    if (from === current) {
      // An empty delta tells a reconnecting edge its cache is current, so it counts as freshly synced.
      session.send({
        type: 'permissions',
        kind: 'delta',
        fromVersion: current,
        version: current,
        upserts: [],
        removals: [],
      });
      return;
    }
    const changes = this.members.changesSince(session.tenantId, from);
    const upserts: Member[] = [];
    const removals = [...changes.removals];
    for (const m of changes.upserts) {
      const scoped = forSite(m);
      if (scoped) upserts.push(scoped);
      else removals.push(m.id);
    }
    this.sendUpdate(session, { kind: 'delta', fromVersion: from, version: changes.version, upserts, removals });
  }

  private sendUpdate(session: EdgeSession, update: Omit<PermissionsMessage, 'type' | 'chunk'>): void {
    for (const part of splitPermissions(update)) if (!session.send(part)) return;
    session.permissionsVersion = update.version;
  }

  /** Pushes a tenant's permission changes to every connected edge of the tenant, at once. */
  pushPermissions(tenantId: string): void {
    for (const s of this.sessions.values()) if (s.tenantId === tenantId) this.sendPermissions(s);
  }

  /** Sends a message to every connected edge of a tenant (the revocation list). */
  broadcast(tenantId: string, msg: CloudToEdge): void {
    for (const s of this.sessions.values()) if (s.tenantId === tenantId) s.send(msg);
  }

  /** Closes every link that authenticated with a revoked edge token. */
  dropToken(jti: string): void {
    for (const s of [...this.sessions.values()]) if (s.jti === jti) s.close(4401, 'edge token revoked');
  }

  closeAll(): void {
    for (const s of [...this.sessions.values()]) s.close(1001, 'cloud shutting down');
    this.sessions.clear();
  }
}
