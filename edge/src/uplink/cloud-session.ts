import type { CloudToEdge, CommandOutcome, RemoteCommand, SiteRecord, SiteZoneFacts } from '@cr/shared';
import type { EdgeLink } from './edge-link';
import type { Uploader } from './uploader';
import type { DevicesApi } from '../gateway/device-admin';
import type { CloudClock } from './cloud-clock';
import type { EdgeTokenStore } from './edge-token';
import type { PermissionCache } from '../store/permission-cache';
import type { TokenVerifier } from '../http/token-verifier';
import type { Logger } from '../log';
import { judgeCloudKey } from './key-pin';
import { PermissionChunks } from './permission-chunks';
import { SiteFacts } from '../store/site-facts';
import type { FirmwareUpdates } from '../gateway/firmware-updates';
import type { IssuedLogins } from '../mqtt/issued-logins';
import type { PolicyHolder } from '../policy/policy-holder';

export interface SessionDeps {
  siteId: string;
  tenantId: string;
  log: Logger;
  permissions: PermissionCache;
  uploader: Uploader;
  /** holds the pinned cloud signing key */
  verifier: TokenVerifier;
  tokens: EdgeTokenStore;
  clock: CloudClock;
  /** the cloud's record of the site's mode, to be merged into the edge's own (the stricter wins) */
  adoptSiteRecord(record: SiteRecord): void;
  runCommand(cmd: RemoteCommand): void;
  /** device admission relayed from the cloud (approve, commissioning window) */
  admission: Pick<DevicesApi, 'approve' | 'place' | 'openCommissioning' | 'adoptZones'>;
  /** firmware updates relayed from the cloud: verified, then offered to the device */
  firmware: Pick<FirmwareUpdates, 'offer'>;
  /** per-device MQTT logins issued in the cloud */
  logins: Pick<IssuedLogins, 'adopt'>;
  /** the site's bookings as the cloud sends them (validated again there; a bad message changes nothing) */
  bookings: { onCloud(msg: unknown): boolean };
  /** the site policy: each version validated, applied or refused, and the outcome reported back */
  policy: Pick<PolicyHolder, 'adopt'>;
  onTokenRenewed(token: string): void;
  onLinkState(up: boolean): void;
  now(): number;
}

type Task = () => void | Promise<void>;

/**
 * What the edge does with each cloud message. The permission cache counts as synced while the
 * link is up and the cloud has answered this session's hello with permissions: the cloud pushes
 * every change over the live link, so nothing newer exists. Messages are handled in order; the
 * ones that need crypto (the welcome's key check, a renewed token) hold the later ones back.
 */
export class CloudSession {
  private permissionsThisSession = false;
  private helloSentAt?: number;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  readonly chunks = new PermissionChunks();

  constructor(private readonly deps: SessionDeps) {}

  /** The hello of a new connection left at `ts` (edge clock): the welcome's time reading answers it. */
  onHello(ts: number): void {
    this.helloSentAt = ts;
  }

  onMessage(msg: CloudToEdge, link: EdgeLink): void {
    const receivedAt = this.deps.now();
    const connection = link.connection;
    this.serially(() => this.handle(msg, link, receivedAt, connection), msg.type === 'welcome' || msg.type === 'token');
  }

  private serially(task: Task, async: boolean): void {
    if (this.queued === 0 && !async) return void task();
    this.queued++;
    this.queue = this.queue
      .then(task)
      .catch((err: Error) => this.deps.log.error(`handling cloud message: ${err.message}`))
      .finally(() => this.queued--);
  }

  private handle(msg: CloudToEdge, link: EdgeLink, receivedAt: number, connection: number): void | Promise<void> {
    const d = this.deps;
    if (msg.type === 'welcome') return this.welcome(msg, link, receivedAt, connection);
    if (msg.type === 'error') return d.log.warn(`cloud error ${msg.code}: ${msg.message}`);
    // Threat: a cloud whose welcome was refused (unproven key, wrong site) feeding permissions or commands.
    if (!link.welcomed || connection !== link.connection) return;
    switch (msg.type) {
      case 'permissions':
        return this.permissions(msg, link);
      case 'events.ack':
        return d.uploader.onAck(msg.batchId);
      case 'command':
        return d.runCommand(d.clock.localCommand(msg.command, receivedAt));
      case 'time':
        return d.clock.sample(msg.serverTime, msg.echo, receivedAt);
      case 'token':
        return this.token(msg.token);
      case 'revocations':
        d.verifier.revocations.replace(msg);
        return d.log.info(`revocation list: ${msg.users.length} people, ${msg.tokens.length} tokens`);
      case 'device.approve':
        d.log.info(`device ${msg.deviceId} admitted by ${msg.by}`, { deviceId: msg.deviceId, by: msg.by });
        return void d.admission.approve(msg.deviceId, msg.zoneId).catch((err: Error) => d.log.error(`admitting ${msg.deviceId}: ${err.message}`));
      case 'device.place':
        d.log.info(`device ${msg.deviceId} moved to zone ${msg.zoneId} by ${msg.by}`, { deviceId: msg.deviceId, by: msg.by });
        return void d.admission.place(msg.deviceId, msg.zoneId).catch((err: Error) => d.log.error(`placing ${msg.deviceId}: ${err.message}`));
      case 'site.zones':
        return this.adoptZones(msg.zones);
      case 'commissioning':
        d.admission.openCommissioning(msg.minutes);
        return d.log.info(`commissioning window open for ${msg.minutes} min (by ${msg.by})`);
      case 'device.logins': {
        const ended = d.logins.adopt(msg);
        if (msg.kind === 'delta' || ended.length > 0) d.log.info(`device logins: ${msg.upserts.length} issued, ${ended.length} ended (${msg.kind})`);
        return;
      }
      case 'bookings':
        return void d.bookings.onCloud(msg);
      case 'policy':
        return void link.send(d.policy.adopt(msg));
      case 'firmware.update':
        return void d.firmware.offer(msg.manifest, msg.signature).catch((err: Error) => d.log.error(`firmware update of ${msg.manifest.deviceId}: ${err.message}`));
    }
  }

  private async welcome(msg: Extract<CloudToEdge, { type: 'welcome' }>, link: EdgeLink, receivedAt: number, connection: number): Promise<void> {
    const d = this.deps;
    // Threat: a misrouted link (wrong site or tenant) feeding this site someone else's permissions.
    if (msg.siteId !== d.siteId || msg.tenantId !== d.tenantId) {
      d.log.error(`cloud welcomed us as ${msg.tenantId}/${msg.siteId}; expected ${d.tenantId}/${d.siteId}`);
      return link.reconnect();
    }
    const key = await judgeCloudKey(d.verifier.pinned, msg, d.tokens.current);
    if (connection !== link.connection) return;
    if (!key.ok) {
      d.log.error(`refusing the cloud link: ${key.why}${d.verifier.pinned ? '; the pinned key stays' : ''}`);
      return link.reconnect();
    }
    if (key.pin) {
      d.verifier.pin(key.pin);
      d.log.info(`cloud signing key pinned (${key.why})`);
    }
    if (this.helloSentAt !== undefined) d.clock.sample(msg.serverTime, this.helloSentAt, receivedAt);
    if (!link.markWelcomed(connection)) return;
    if (msg.siteRecord) d.adoptSiteRecord(msg.siteRecord);
    if (msg.site) this.adoptSiteFacts(msg.site);
    if (msg.site?.zones) await this.adoptZones(msg.site.zones);
    d.onLinkState(true);
    d.uploader.attach((text) => link.sendText(text));
  }

  /** The site's zones as the cloud records them: doors and readers are placed by them (CONTRACT.md §6). */
  private async adoptZones(zones: SiteZoneFacts): Promise<void> {
    const changed = await this.deps.admission.adoptZones(zones).catch((err: Error) => void this.deps.log.error(`placing devices by the site's zones: ${err.message}`));
    if (changed) this.deps.log.info(`site zones from the cloud: ${zones.map((z) => z.id).join(', ') || '(none)'}`);
  }

  /** The site's time zone as the cloud's directory holds it, kept for decisions (never the document's copy). */
  private adoptSiteFacts(site: NonNullable<Extract<CloudToEdge, { type: 'welcome' }>['site']>): void {
    const result = SiteFacts.of(this.deps.permissions.settings).adopt(site);
    if (result === 'changed') this.deps.log.info(`site time zone from the cloud: ${site.timezone}`);
    if (result === 'refused') this.deps.log.warn(`cloud named a time zone this gateway does not know (${site.timezone.slice(0, 64)}); keeping the last one`);
  }

  private permissions(msg: Extract<CloudToEdge, { type: 'permissions' }>, link: EdgeLink): void {
    const d = this.deps;
    const whole = this.chunks.add(msg);
    if (whole === 'pending') return;
    if (whole === 'broken') {
      d.log.warn(`permission update part ${msg.chunk?.index ?? '?'} out of sequence: reconnecting`);
      return link.reconnect();
    }
    const r = d.permissions.apply(whole, d.now());
    if (r === 'version-gap') {
      d.log.warn(`permission delta from ${whole.fromVersion} does not follow ${d.permissions.version}: asking for a snapshot`);
      d.permissions.resetVersion();
      return link.reconnect();
    }
    this.permissionsThisSession = true;
    d.log.info(`permissions ${whole.kind} v${whole.version}: ${d.permissions.size} members`, { permissionsVersion: whole.version, members: d.permissions.size });
  }

  private async token(token: string): Promise<void> {
    const refused = await this.deps.tokens.accept(token, this.deps.verifier);
    if (refused) return this.deps.log.warn(`renewed edge token refused: ${refused}`);
    this.deps.log.info('edge token renewed by the cloud');
    this.deps.onTokenRenewed(token);
  }

  /** Heartbeat tick while connected: refreshes the cache stamp when this session is in sync. */
  onHeartbeat(connected: boolean): void {
    if (connected && this.permissionsThisSession) this.deps.permissions.markSynced(this.deps.now());
  }

  onDown(): void {
    this.serially(() => {
      this.permissionsThisSession = false;
      this.chunks.discard();
      this.deps.uploader.detach();
      this.deps.onLinkState(false);
    }, false);
  }

  reportOutcome(link: EdgeLink | undefined, outcome: CommandOutcome): void {
    link?.send({ type: 'command.outcome', outcome });
  }
}
