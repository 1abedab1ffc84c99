import {
  cloudToEdgeSchema,
  edgeToCloudSchema,
  siteDocName,
  SiteDoc,
  type CloudToEdge,
  type CommandOutcome,
  type EdgeToCloud,
  type SiteRecord,
} from '@cr/shared';
import type { WebSocket } from 'ws';
import type { VerifiedEdge } from '../domain/auth-service';
import type { EdgeSession } from './link-hub';
import type { EdgeLinkDeps } from './edge-link-deps';

const MAX_BAD_MESSAGES = 20;

/** One edge's control link: validates every message, answers hello, stores batches, relays outcomes. */
export class LinkSession implements EdgeSession {
  permissionsVersion = 0;
  readonly tenantId: string;
  readonly siteId: string;
  readonly jti: string;
  private greeted = false;
  private badMessages = 0;
  /** the life of the edge token in use on this link (renewed past its half) */
  private token: { iat: number; exp?: number; previousKey: boolean };
  private renewing = false;

  constructor(
    private readonly ws: WebSocket,
    edge: VerifiedEdge,
    private readonly deps: EdgeLinkDeps,
  ) {
    this.tenantId = edge.tenantId;
    this.siteId = edge.siteId;
    this.jti = edge.jti;
    this.token = { iat: edge.iat, exp: edge.exp, previousKey: edge.signedByPreviousKey };
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
    // In the order they arrived: the welcome is out before anything after the hello is handled.
    const msg = parsed.data;
    this.inbox = this.inbox
      .then(() => this.handle(msg))
      .catch((err: unknown) => {
        this.deps.log.error({ tenantId: this.tenantId, siteId: this.siteId, err }, `edge link ${this.siteId}: ${(err as Error).message}`);
        this.send({ type: 'error', code: 'server-error', message: 'the cloud could not process the message' });
      });
  }

  private inbox: Promise<void> = Promise.resolve();

  private async handle(msg: EdgeToCloud): Promise<void> {
    if (msg.type === 'hello') return this.hello(msg);
    if (!this.greeted) return this.reject('no-hello', 'send hello first');
    const status = this.deps.status;
    switch (msg.type) {
      case 'heartbeat':
        status.seen(this.tenantId, this.siteId, {
          mode: msg.mode,
          fireActive: msg.fireActive,
          outboxDepth: msg.outboxDepth,
          // Both times in the edge's clock: the age holds whatever its skew to ours.
          permissionsAgeMs: msg.permissionsSyncedAt === undefined ? null : msg.ts - msg.permissionsSyncedAt,
        });
        // The edge times the round trip with its own `ts` echoed back, to estimate its clock offset.
        this.send({ type: 'time', serverTime: Date.now(), echo: msg.ts });
        return this.renewTokenIfDue();
      case 'events':
        status.seen(this.tenantId, this.siteId);
        return this.storeBatch(msg);
      case 'command.outcome':
        status.seen(this.tenantId, this.siteId);
        await this.deps.commands.outcome(this.tenantId, this.siteId, msg.outcome);
        return this.noteModeOutcome(msg.outcome);
      case 'devices':
        // Only ever for the site the edge token names: a gateway reports its own inventory.
        status.seen(this.tenantId, this.siteId);
        return void this.deps.devices.report(this.tenantId, this.siteId, msg.devices);
      case 'firmware.progress':
        status.seen(this.tenantId, this.siteId);
        return this.deps.firmware.progress(this.tenantId, this.siteId, msg);
      case 'policy.applied':
      case 'policy.refused':
        return this.deps.policies.onReport(this.tenantId, this.siteId, msg);
    }
  }

  /** Acknowledged only after the batch's group commit; a re-sent batch finds its events stored. */
  private storeBatch(msg: Extract<EdgeToCloud, { type: 'events' }>): void {
    this.deps.ingest.store(this.tenantId, this.siteId, msg.events).then(
      (r) => this.send({ type: 'events.ack', batchId: msg.batchId, stored: r.stored, duplicates: r.duplicates }),
      (err: Error) => {
        // No ack: the edge keeps the batch and sends it again.
        this.deps.log.error(
          { tenantId: this.tenantId, siteId: this.siteId },
          `edge link ${this.siteId}: batch ${msg.batchId.slice(0, 40)} not stored: ${err.message}`,
        );
        this.send({ type: 'error', code: 'server-error', message: 'the cloud could not store the batch' });
      },
    );
  }

  private async hello(msg: Extract<EdgeToCloud, { type: 'hello' }>): Promise<void> {
    // Threat: a gateway of one site claiming to be another to receive its commands and members.
    if (msg.siteId !== this.siteId) return this.close(4403, 'hello names another site than the token');
    this.greeted = true;
    this.permissionsVersion = msg.permissionsVersion;
    this.deps.hub.attach(this);
    // Read before this hello updates it: a replacement gateway starts empty and must learn the site's state.
    const siteRecord = await this.siteRecord();
    this.send({
      type: 'welcome',
      siteId: this.siteId,
      tenantId: this.tenantId,
      serverTime: Date.now(),
      publicKey: this.deps.publicJwk as Record<string, unknown>,
      keyRotation: this.deps.keys.rotation,
      siteRecord,
      site: await this.siteFacts(),
    });
    await this.deps.hub.sendPermissions(this);
    this.send(await this.deps.auth.revocationList(this.tenantId));
    this.send(await this.deps.deviceLogins.snapshot(this.tenantId, this.siteId));
    this.send(await this.deps.bookings.feed.snapshot(this.tenantId, this.siteId));
    // A policy that cannot be read from the store must not hold the rest of the hello back.
    await this.deps.policies
      .onEdgeConnected(this.tenantId, this.siteId, (m) => this.send(m))
      .catch((err: Error) => this.deps.log.error({ tenantId: this.tenantId, siteId: this.siteId }, `edge link ${this.siteId}: policy not sent: ${err.message}`));
    this.deps.status.seen(this.tenantId, this.siteId, { mode: msg.mode, fireActive: msg.fireActive, outboxDepth: msg.outboxDepth });
    this.renewTokenIfDue();
  }

  /** The site's facts the edge decides by: its time zone and, once the cloud records any, its zones. */
  private async siteFacts(): Promise<Extract<CloudToEdge, { type: 'welcome' }>['site']> {
    const facts = await this.deps.status.siteFacts(this.tenantId, this.siteId);
    if (!facts) return undefined;
    const zones = await this.deps.siteAdmin.zoneFacts(this.tenantId, this.siteId);
    return zones ? { ...facts, zones: zones.map((z) => ({ id: z.id, name: z.name })) } : facts;
  }

  /** What the cloud knows of the site's mode: its gateway's last report, else what the site document says. */
  private async siteRecord(): Promise<SiteRecord> {
    const reported = await this.deps.status.reportedState(this.tenantId, this.siteId);
    if (reported) return reported;
    const meta = await this.deps.docs.read(siteDocName(this.tenantId, this.siteId), (d) => new SiteDoc(d).meta());
    return { mode: meta.mode, fireActive: meta.fireActive };
  }

  /**
   * An executed mode command changes the record at once rather than at the next heartbeat: a
   * reconnect in between would otherwise hand the edge its old (stricter) mode back.
   */
  private async noteModeOutcome(outcome: CommandOutcome): Promise<void> {
    if (outcome.status !== 'executed') return;
    const cmd = await this.deps.commands.get(outcome.commandId);
    if (!cmd || cmd.tenantId !== this.tenantId || cmd.siteId !== this.siteId || cmd.target.kind !== 'mode') return;
    const prev = await this.deps.status.reportedState(this.tenantId, this.siteId);
    const mode = cmd.target.mode;
    // As the edge's requestMode: the fire state survives only a change to emergency-unlock.
    this.deps.status.seen(this.tenantId, this.siteId, { mode, fireActive: mode === 'emergency-unlock' && prev?.fireActive === true });
  }

  /**
   * Sends the edge its token again with a later expiry once the one in use is past half its life
   * (or has none, or was signed with the key before a rotation), so a connected gateway never
   * finds its token expired at its next reconnect.
   */
  private renewTokenIfDue(): void {
    const t = this.token;
    const half = t.exp === undefined ? 0 : (t.iat + (t.exp - t.iat) / 2) * 1000;
    if (this.renewing || (!t.previousKey && t.exp !== undefined && Date.now() < half)) return;
    this.renewing = true;
    this.deps.auth
      .renewEdgeToken({ tenantId: this.tenantId, siteId: this.siteId, jti: this.jti })
      .then(({ token, expiresAt }) => {
        if (this.send({ type: 'token', token })) this.token = { iat: Math.floor(Date.now() / 1000), exp: expiresAt / 1000, previousKey: false };
      })
      .catch((err: Error) =>
        this.deps.log.error({ tenantId: this.tenantId, siteId: this.siteId }, `edge link ${this.siteId}: token not renewed: ${err.message}`),
      )
      .finally(() => (this.renewing = false));
  }
}
