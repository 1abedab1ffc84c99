import { createServer, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import {
  demoMembers,
  EDGE_LINK_PATH,
  edgeToCloudSchema,
  generateSigningKeys,
  signToken,
  type CloudToEdge,
  type CommandOutcome,
  type EdgeToCloud,
  type Member,
  type RemoteCommand,
  type SiteEvent,
  type TokenClaims,
} from '@cr/shared';
import { SyncRoom, type SyncPeer } from '@cr/shared/sync/sync-room';

/**
 * A stand-in cloud built on the shared edge-link schemas: welcomes edges, serves permissions,
 * stores uploaded events idempotently by id, sends commands, and serves site documents.
 */
export class FakeCloud {
  readonly events = new Map<string, SiteEvent>();
  readonly order: string[] = [];
  readonly received: EdgeToCloud[] = [];
  readonly outcomes: CommandOutcome[] = [];
  duplicates = 0;
  members: Member[] = demoMembers();
  version = 1;
  /** set to false to stop acknowledging batches */
  ack = true;
  readonly doc = new Y.Doc();
  private readonly room = new SyncRoom(this.doc);
  private readonly links = new Set<WebSocket>();
  private readonly sockets = new Set<WebSocket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly tenantId: string,
    private readonly keys: CryptoKeyPair,
    readonly publicJwk: JsonWebKey,
  ) {
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      wss.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.add(ws);
        ws.on('close', () => this.sockets.delete(ws));
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

  sign(claims: TokenClaims): Promise<string> {
    return signToken(claims, this.keys.privateKey);
  }

  edgeToken(siteId: string): Promise<string> {
    return this.sign({ typ: 'edge', sub: `edge-${siteId}`, tenantId: this.tenantId, siteId, iat: Math.floor(Date.now() / 1000), jti: 'j1' });
  }

  userToken(role: 'hq-operator' | 'site-manager' | 'vendor' | 'tenant-admin', siteIds: string[] = []): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return this.sign({ typ: 'access', sub: `u-${role}`, role, tenantId: this.tenantId, siteIds, name: `${role}@test`, iat: now, exp: now + 600, jti: 'a1' });
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
      if (msg.type === 'hello') {
        this.send(ws, { type: 'welcome', siteId: msg.siteId, tenantId: this.tenantId, serverTime: Date.now(), publicKey: this.publicJwk as Record<string, unknown> });
        this.send(ws, { type: 'permissions', kind: 'snapshot', fromVersion: 0, version: this.version, upserts: this.members, removals: [] });
      } else if (msg.type === 'events') {
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
      } else if (msg.type === 'command.outcome') {
        this.outcomes.push(msg.outcome);
      }
    });
  }

  private onSync(ws: WebSocket): void {
    const peer: SyncPeer = { access: 'write', send: (f) => ws.send(f), close: (c, r) => ws.close(c, r) };
    this.room.join(peer);
    ws.on('message', (d: Buffer) => this.room.receive(peer, new Uint8Array(d)));
    ws.on('close', () => this.room.leave(peer));
  }

  private send(ws: WebSocket, msg: CloudToEdge): void {
    ws.send(JSON.stringify(msg));
  }

  /** Sends to every connected edge. */
  broadcast(msg: CloudToEdge): void {
    for (const ws of this.links) this.send(ws, msg);
  }

  command(command: RemoteCommand): void {
    this.broadcast({ type: 'command', command });
  }

  /** Drops every edge link (a cloud outage). */
  dropLinks(): void {
    for (const ws of this.links) ws.terminate();
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
