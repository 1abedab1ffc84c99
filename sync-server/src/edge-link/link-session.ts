import { cloudToEdgeSchema, edgeToCloudSchema, type CloudToEdge, type EdgeToCloud } from '@cr/shared';
import type { WebSocket } from 'ws';
import type { EdgeSession } from './link-hub';
import type { EdgeLinkDeps } from './edge-link-deps';

const MAX_BAD_MESSAGES = 20;

/** One edge's control link: validates every message, answers hello, stores batches, relays outcomes. */
export class LinkSession implements EdgeSession {
  permissionsVersion = 0;
  private greeted = false;
  private badMessages = 0;

  constructor(
    private readonly ws: WebSocket,
    readonly tenantId: string,
    readonly siteId: string,
    readonly jti: string,
    private readonly deps: EdgeLinkDeps,
  ) {
    ws.on('message', (data, isBinary) => this.onFrame(data as Buffer, isBinary));
    ws.on('close', () => {
      if (this.greeted) this.deps.hub.detach(this);
    });
  }

  send(msg: CloudToEdge): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false;
    // Our own messages are checked too: a bug here must not send the edge something it rejects.
    this.ws.send(JSON.stringify(cloudToEdgeSchema.parse(msg)));
    return true;
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  private reject(code: string, message: string): void {
    this.deps.metrics.edgeMessagesRejected.inc();
    this.send({ type: 'error', code, message: message.slice(0, 500) });
    // Threat: a misbehaving client keeping the server busy with garbage forever.
    if (++this.badMessages >= MAX_BAD_MESSAGES) this.close(1008, 'too many malformed messages');
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (isBinary) return this.reject('malformed', 'edge link messages are JSON text');
    let json: unknown;
    try {
      json = JSON.parse(data.toString('utf8'));
    } catch {
      return this.reject('malformed', 'not JSON');
    }
    const parsed = edgeToCloudSchema.safeParse(json);
    if (!parsed.success) return this.reject('invalid', parsed.error.issues[0]?.message ?? 'invalid message');
    try {
      this.handle(parsed.data);
    } catch (err) {
      console.error(`edge link ${this.siteId}: ${(err as Error).message}`);
      this.send({ type: 'error', code: 'server-error', message: 'the cloud could not process the message' });
    }
  }

  private handle(msg: EdgeToCloud): void {
    if (msg.type === 'hello') return this.hello(msg);
    if (!this.greeted) return this.reject('no-hello', 'send hello first');
    const status = this.deps.status;
    switch (msg.type) {
      case 'heartbeat':
        return status.seen(this.tenantId, this.siteId, { mode: msg.mode, outboxDepth: msg.outboxDepth });
      case 'events':
        status.seen(this.tenantId, this.siteId);
        return this.storeBatch(msg);
      case 'command.outcome':
        status.seen(this.tenantId, this.siteId);
        return this.deps.commands.outcome(this.tenantId, this.siteId, msg.outcome);
    }
  }

  /** Acknowledged only after the batch's group commit; a re-sent batch finds its events stored. */
  private storeBatch(msg: Extract<EdgeToCloud, { type: 'events' }>): void {
    this.deps.ingest.store(this.tenantId, this.siteId, msg.events).then(
      (r) => this.send({ type: 'events.ack', batchId: msg.batchId, stored: r.stored, duplicates: r.duplicates }),
      (err: Error) => {
        // No ack: the edge keeps the batch and sends it again.
        console.error(`edge link ${this.siteId}: batch ${msg.batchId.slice(0, 40)} not stored: ${err.message}`);
        this.send({ type: 'error', code: 'server-error', message: 'the cloud could not store the batch' });
      },
    );
  }

  private hello(msg: Extract<EdgeToCloud, { type: 'hello' }>): void {
    // Threat: a gateway of one site claiming to be another to receive its commands and members.
    if (msg.siteId !== this.siteId) return this.close(4403, 'hello names another site than the token');
    this.greeted = true;
    this.permissionsVersion = msg.permissionsVersion;
    this.deps.hub.attach(this);
    this.send({
      type: 'welcome',
      siteId: this.siteId,
      tenantId: this.tenantId,
      serverTime: Date.now(),
      publicKey: this.deps.publicJwk as Record<string, unknown>,
    });
    this.deps.hub.sendPermissions(this);
    this.deps.status.seen(this.tenantId, this.siteId, { mode: msg.mode, outboxDepth: msg.outboxDepth });
  }
}
