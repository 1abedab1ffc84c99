import { splitPermissions, type CloudToEdge, type Member, type PermissionsMessage } from '@cr/shared';
import { memberForSite } from '../domain/member-model';
import type { CloudMetrics } from '../metrics';
import { defaultCloudLog, type CloudLog } from '../log';
import type { MembersPort } from '../store/ports';

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

/**
 * The other cloud instances (CONTRACT §10), over which a message reaches a site whose edge link
 * ends at another instance, and tenant-wide changes reach every instance's links.
 */
export interface LinkRouter {
  claimLink(key: string): void;
  releaseLink(key: string): void;
  deliver(key: string, payload: unknown): Promise<RoutedDelivery>;
  onDeliver(fn: (key: string, payload: unknown) => boolean | Promise<boolean>): void;
  /** reaches every other instance; this one acts on its own links itself */
  broadcast(topic: string, payload: unknown): Promise<void>;
  /** called for broadcasts of the other instances only */
  onBroadcast(topic: string, fn: (payload: unknown, from: string) => void): () => void;
}

/**
 * A message routed to another instance: 'sent' (the owner handed it to the link), 'offline' (no
 * instance holds the link, or it was not sent), 'unanswered' (the owner took it; its answer was lost).
 */
export type RoutedDelivery = 'sent' | 'offline' | 'unanswered';

/** What became of a message for one site's edge; 'unconfirmed': it may have reached the edge. */
export type Delivery = 'sent' | 'dropped' | 'offline' | 'unconfirmed';

const TOPIC = { permissions: 'edge.permissions', message: 'edge.message', dropToken: 'edge.drop-token' } as const;

/** Live edge links, one per site: commands and permission changes go out through here. */
export class LinkHub {
  private readonly sessions = new Map<string, EdgeSession>();

  constructor(
    private readonly members: MembersPort,
    private readonly metrics: CloudMetrics,
    private readonly log: CloudLog = defaultCloudLog(),
  ) {}

  private readonly sending = new WeakMap<EdgeSession, Promise<void>>();
  private router: LinkRouter | undefined;

  /** Joins the other instances: messages for links held elsewhere go through `router`. */
  useRouter(router: LinkRouter): void {
    this.router = router;
    router.onDeliver((k, payload) => this.sessions.get(k)?.send(payload as CloudToEdge) ?? false);
    router.onBroadcast(TOPIC.permissions, (p) => void this.pushLocal((p as { tenantId: string }).tenantId));
    router.onBroadcast(TOPIC.message, (p) => {
      const { tenantId, msg } = p as { tenantId: string; msg: CloudToEdge };
      this.broadcastLocal(tenantId, msg);
    });
    router.onBroadcast(TOPIC.dropToken, (p) => this.dropLocal((p as { jti: string }).jti));
    for (const k of this.sessions.keys()) router.claimLink(k);
  }

  /** Sends a message to the site's edge, wherever its link ends: at once, never queued. */
  async deliver(tenantId: string, siteId: string, msg: CloudToEdge): Promise<Delivery> {
    const local = this.sessions.get(key(tenantId, siteId));
    if (local) return local.send(msg) ? 'sent' : 'dropped';
    if (!this.router) return 'offline';
    const routed = await this.router.deliver(key(tenantId, siteId), msg);
    return routed === 'unanswered' ? 'unconfirmed' : routed;
  }

  /** Registers a session; an older one for the same site is closed (a gateway replaced or reconnected). */
  attach(session: EdgeSession): void {
    const k = key(session.tenantId, session.siteId);
    const old = this.sessions.get(k);
    this.sessions.set(k, session);
    if (old && old !== session) old.close(4409, 'replaced by a newer connection of this site');
    this.router?.claimLink(k);
    this.metrics.edgeLinks.set(this.sessions.size);
  }

  detach(session: EdgeSession): void {
    const k = key(session.tenantId, session.siteId);
    if (this.sessions.get(k) === session) {
      this.sessions.delete(k);
      this.router?.releaseLink(k);
    }
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
  sendPermissions(session: EdgeSession): Promise<void> {
    // One update at a time per link: parts of two updates never interleave on the wire.
    const next = (this.sending.get(session) ?? Promise.resolve()).then(() => this.sendPermissionsNow(session));
    const settled = next.catch((err: unknown) => {
      this.log.error(
        { tenantId: session.tenantId, siteId: session.siteId },
        `edge link ${session.siteId}: permissions not sent: ${(err as Error).message}`,
      );
    });
    this.sending.set(session, settled);
    return settled;
  }

  private async sendPermissionsNow(session: EdgeSession): Promise<void> {
    const current = await this.members.version(session.tenantId);
    const from = session.permissionsVersion;
    const forSite = (m: Parameters<typeof memberForSite>[0]) => memberForSite(m, session.siteId);
    if (from === 0 || from > current) {
      const all = (await this.members.members(session.tenantId)).flatMap((m) => forSite(m) ?? []);
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
    const changes = await this.members.changesSince(session.tenantId, from);
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
  async pushPermissions(tenantId: string): Promise<void> {
    await Promise.all([this.pushLocal(tenantId), this.tellOthers(TOPIC.permissions, { tenantId })]);
  }

  /**
   * Brings every local link up to its tenant's permission version: after the bus lost messages,
   * a change another instance announced meanwhile still reaches these edges (an edge already
   * current is sent nothing).
   */
  async pushAllLocal(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => this.sendPermissions(s)));
  }

  /**
   * Tells the other instances (this one acts on its own links itself). A bus that is down loses
   * the message: logged, and made good after it is back (`pushAllLocal`, new links' hello).
   */
  private async tellOthers(topic: string, payload: unknown): Promise<void> {
    await this.router?.broadcast(topic, payload).catch((err: Error) => {
      this.log.warn(`edge links: ${topic} not sent to the other instances: ${err.message}`);
    });
  }

  private async pushLocal(tenantId: string): Promise<void> {
    const pushes = [...this.sessions.values()]
      .filter((s) => s.tenantId === tenantId)
      .map((s) => this.sendPermissions(s));
    await Promise.all(pushes);
  }

  /** Sends a message to every connected edge of a tenant (the revocation list). */
  async broadcast(tenantId: string, msg: CloudToEdge): Promise<void> {
    this.broadcastLocal(tenantId, msg);
    await this.tellOthers(TOPIC.message, { tenantId, msg });
  }

  private broadcastLocal(tenantId: string, msg: CloudToEdge): void {
    for (const s of this.sessions.values()) if (s.tenantId === tenantId) s.send(msg);
  }

  /** Closes every link that authenticated with a revoked edge token. */
  async dropToken(jti: string): Promise<void> {
    this.dropLocal(jti);
    await this.tellOthers(TOPIC.dropToken, { jti });
  }

  private dropLocal(jti: string): void {
    for (const s of [...this.sessions.values()]) if (s.jti === jti) s.close(4401, 'edge token revoked');
  }

  closeAll(): void {
    for (const s of [...this.sessions.values()]) s.close(1001, 'cloud shutting down');
    this.sessions.clear();
  }
}
