import { createServer, type IncomingMessage, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import {
  demoMembers,
  EDGE_LINK_PATH,
  edgeClaimsSchema,
  edgeToCloudSchema,
  generateSigningKeys,
  signKeyRotation,
  signToken,
  splitPermissions,
  type CloudToEdge,
  type CommandOutcome,
  type EdgeBooking,
  type EdgeClaims,
  type EdgeToCloud,
  type Member,
  type RemoteCommand,
  type SiteEvent,
  type SiteRecord,
  type TokenInput,
} from '@cr/shared';
import { SyncRoom, type SyncPeer } from '@cr/shared/sync/sync-room';

type Jwk = Record<string, unknown>;

/** The token an edge presented on an upgrade (header or `?token=`). */
function presentedToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7);
  return new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? undefined;
}

function claimsOf(token: string | undefined): EdgeClaims | undefined {
  try {
    const parsed = edgeClaimsSchema.safeParse(JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString()));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A stand-in cloud built on the shared edge-link schemas: welcomes edges, serves permissions (split
 * by bytes like the real cloud), stores uploaded events idempotently by id, sends commands, answers
 * heartbeats with its clock, renews edge tokens, and serves site documents. Tests steer it through
 * its public fields: a skewed clock, a rotated (or forged) signing key, a site record, links cut
 * mid-snapshot, commands held in transit, tokens refused.
 */
export class FakeCloud {
  readonly events = new Map<string, SiteEvent>();
  readonly order: string[] = [];
  readonly received: EdgeToCloud[] = [];
  readonly outcomes: CommandOutcome[] = [];
  duplicates = 0;
  members: Member[] = demoMembers();
  /** the sites of this cloud's tenant: every site it issued an edge token for */
  readonly sites = new Set<string>();
  /** device lists the edges reported, latest last */
  readonly deviceReports: Array<Extract<EdgeToCloud, { type: 'devices' }>> = [];
  version = 1;
  /** set to false to stop acknowledging batches */
  ack = true;
  /** set to false to leave hellos unanswered (the edge waits, linked but not welcomed) */
  answerHello = true;
  /** added to this cloud's clock (serverTime, and commands built with `now()`) */
  clockSkewMs = 0;
  /** sent in `welcome` as the cloud's record of the site */
  siteRecord?: SiteRecord;
  /** sent in `welcome` as the site's facts (time zone, zones) */
  siteFacts?: Extract<CloudToEdge, { type: 'welcome' }>['site'];
  /** sent as a `bookings` snapshot after the permissions of every welcome, when set */
  bookings?: EdgeBooking[];
  /** sent in `welcome` with the current key */
  keyRotation?: { publicKey: Jwk; signature: string };
  /** cut a link (close) after sending this many parts of a permission update */
  cutAfterParts?: number;
  /** refuse links and document syncs whose token this says no to (close 4401) */
  acceptToken: (token: string | undefined) => boolean = () => true;
  /** on hello, send a fresh token (this long-lived) when the presented one is past half its life */
  renewTokensForMs?: number;
  /** tokens presented on each control link and each document sync, in order */
  readonly linkTokens: string[] = [];
  readonly syncTokens: string[] = [];
  /** welcomes sent; links the edge closed right after one (a refused welcome) */
  welcomes = 0;
  readonly doc = new Y.Doc();
  private readonly room = new SyncRoom(this.doc);
  private readonly links = new Set<WebSocket>();
  private readonly syncs = new Set<WebSocket>();
  private readonly sockets = new Set<WebSocket>();
  private readonly tokenOf = new Map<WebSocket, string | undefined>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly tenantId: string,
    private keys: CryptoKeyPair,
    public publicJwk: JsonWebKey,
  ) {
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const token = presentedToken(req);
      wss.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.add(ws);
        ws.on('close', () => this.sockets.delete(ws));
        (path === EDGE_LINK_PATH ? this.linkTokens : this.syncTokens).push(token ?? '');
        if (!this.acceptToken(token)) return ws.close(4401, 'token refused');
        this.tokenOf.set(ws, token);
        if (path === EDGE_LINK_PATH) this.onLink(ws);
        else this.onSync(ws);
      });
    });
  }

  static async start(tenantId = 'demo'): Promise<FakeCloud> {
    const keys = await generateSigningKeys();
    const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
    const server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    return new FakeCloud(server, `http://127.0.0.1:${port}`, tenantId, keys, jwk);
  }

  /** This cloud's clock. */
  now(): number {
    return Date.now() + this.clockSkewMs;
  }

  /** Signs claims with this cloud's key; a person's token is a LAN token (audience `edge`) unless it says otherwise. */
  sign(claims: TokenInput): Promise<string> {
    return signToken(claims.typ === 'access' ? { aud: 'edge', ...claims } : claims, this.keys.privateKey);
  }

  edgeToken(siteId: string, times: { iat?: number; exp?: number } = {}): Promise<string> {
    this.sites.add(siteId);
    return this.sign({ typ: 'edge', sub: `edge-${siteId}`, tenantId: this.tenantId, siteId, iat: times.iat ?? Math.floor(Date.now() / 1000), exp: times.exp, jti: 'j1' });
  }

  /**
   * A person's LAN token. Like the real cloud, it lists sites explicitly: for a role that covers the
   * whole tenant (when no `siteIds` are given), every site this cloud has issued an edge token for so far.
   */
  userToken(role: 'hq-operator' | 'site-manager' | 'vendor' | 'tenant-admin', siteIds?: string[]): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const sites = siteIds ?? (role === 'hq-operator' || role === 'tenant-admin' ? [...this.sites] : []);
    return this.sign({ typ: 'access', sub: `u-${role}`, role, tenantId: this.tenantId, siteIds: sites, name: `${role}@test`, iat: now, exp: now + 600, jti: 'a1' });
  }

  /**
   * Switches to a new signing key. `proven`: the previous key signs the new one (a real rotation);
   * otherwise the welcome carries the new key bare (what an impostor would send).
   */
  async rotateKey(proven: boolean): Promise<void> {
    const next = await generateSigningKeys();
    const nextJwk = await crypto.subtle.exportKey('jwk', next.publicKey);
    this.keyRotation = proven ? { publicKey: this.publicJwk as Jwk, signature: await signKeyRotation(this.keys.privateKey, nextJwk as Jwk) } : undefined;
    this.keys = next;
    this.publicJwk = nextJwk;
  }

  get linkCount(): number {
    return this.links.size;
  }

  private onLink(ws: WebSocket): void {
    this.links.add(ws);
    ws.on('close', () => this.links.delete(ws));
    ws.on('message', (data) => {
      const msg = edgeToCloudSchema.parse(JSON.parse(data.toString()));
      this.received.push(msg);
      if (msg.type === 'hello') void this.hello(ws, msg.siteId);
      else if (msg.type === 'heartbeat') this.send(ws, { type: 'time', serverTime: this.now(), echo: msg.ts });
      else if (msg.type === 'events') this.store(ws, msg);
      else if (msg.type === 'command.outcome') this.outcomes.push(msg.outcome);
      else if (msg.type === 'devices') this.deviceReports.push(msg);
    });
  }

  private async hello(ws: WebSocket, siteId: string): Promise<void> {
    if (!this.answerHello) return;
    const publicKey = this.publicJwk as Jwk;
    this.send(ws, { type: 'welcome', siteId, tenantId: this.tenantId, serverTime: this.now(), publicKey, keyRotation: this.keyRotation, siteRecord: this.siteRecord, site: this.siteFacts });
    this.welcomes++;
    this.sendPermissions(ws);
    if (this.bookings) this.send(ws, { type: 'bookings', kind: 'snapshot', upserts: this.bookings, removals: [] });
    const claims = claimsOf(this.tokenOf.get(ws));
    const lifeMs = claims?.exp !== undefined ? (claims.exp - claims.iat) * 1000 : undefined;
    if (this.renewTokensForMs && claims && lifeMs !== undefined && Date.now() >= claims.iat * 1000 + lifeMs / 2) {
      const now = Math.floor(Date.now() / 1000);
      this.send(ws, { type: 'token', token: await this.edgeToken(siteId, { iat: now, exp: now + Math.ceil(this.renewTokensForMs / 1000) }) });
    }
  }

  private store(ws: WebSocket, msg: Extract<EdgeToCloud, { type: 'events' }>): void {
    let stored = 0;
    let duplicates = 0;
    for (const e of msg.events) {
      if (this.events.has(e.id)) duplicates++;
      else {
        this.events.set(e.id, e);
        this.order.push(e.id);
        stored++;
      }
    }
    this.duplicates += duplicates;
    if (this.ack) this.send(ws, { type: 'events.ack', batchId: msg.batchId, stored, duplicates });
  }

  /** The whole member list as a snapshot, split by bytes; the link is cut after `cutAfterParts` parts. */
  private sendPermissions(ws: WebSocket): void {
    const parts = splitPermissions({ kind: 'snapshot', fromVersion: 0, version: this.version, upserts: this.members, removals: [] });
    for (const [i, part] of parts.entries()) {
      if (this.cutAfterParts !== undefined && i >= this.cutAfterParts) return ws.close(4000, 'cut mid-snapshot');
      this.send(ws, part);
    }
  }

  /** Sends the current member list to every linked edge as a new snapshot. */
  pushSnapshot(): void {
    for (const ws of this.links) this.sendPermissions(ws);
  }

  private onSync(ws: WebSocket): void {
    this.syncs.add(ws);
    const peer: SyncPeer = { access: 'write', send: (f) => ws.send(f), close: (c, r) => ws.close(c, r) };
    this.room.join(peer);
    ws.on('message', (d: Buffer) => this.room.receive(peer, new Uint8Array(d)));
    ws.on('close', () => {
      this.syncs.delete(ws);
      this.room.leave(peer);
    });
  }

  private send(ws: WebSocket, msg: CloudToEdge): void {
    ws.send(JSON.stringify(msg));
  }

  /** Sends to every connected edge. */
  broadcast(msg: CloudToEdge): void {
    for (const ws of this.links) this.send(ws, msg);
  }

  /** Sends a command; `holdMs` keeps it in transit that long first (a slow or stalled path). */
  command(command: RemoteCommand, opts: { holdMs?: number } = {}): void {
    if (opts.holdMs) setTimeout(() => this.broadcast({ type: 'command', command }), opts.holdMs);
    else this.broadcast({ type: 'command', command });
  }

  /** Drops every edge link (a cloud outage); `syncs` too drops the document syncs. */
  dropLinks(opts: { syncs?: boolean } = {}): void {
    for (const ws of this.links) ws.terminate();
    if (opts.syncs) for (const ws of this.syncs) ws.terminate();
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
