import type { CloudToEdge, CommandOutcome } from '@cr/shared';
import type { EdgeLink } from './edge-link';
import type { Uploader } from './uploader';
import type { PermissionCache } from '../store/permission-cache';
import type { Logger } from '../log';

export interface SessionDeps {
  siteId: string;
  tenantId: string;
  log: Logger;
  permissions: PermissionCache;
  uploader: Uploader;
  /** stores the cloud's token-signing key for offline verification */
  savePublicKey(jwk: Record<string, unknown>): void;
  runCommand(msg: Extract<CloudToEdge, { type: 'command' }>['command']): void;
  onLinkState(up: boolean): void;
  now(): number;
}

/**
 * What the edge does with each cloud message. The permission cache counts as synced while the
 * link is up and the cloud has answered this session's hello with permissions: the cloud pushes
 * every change over the live link, so nothing newer exists.
 */
export class CloudSession {
  private permissionsThisSession = false;

  constructor(private readonly deps: SessionDeps) {}

  onMessage(msg: CloudToEdge, link: EdgeLink): void {
    const d = this.deps;
    switch (msg.type) {
      case 'welcome':
        // Threat: a misrouted link (wrong site or tenant) feeding this site someone else's permissions.
        if (msg.siteId !== d.siteId || msg.tenantId !== d.tenantId) {
          d.log.error(`cloud welcomed us as ${msg.tenantId}/${msg.siteId}; expected ${d.tenantId}/${d.siteId}`);
          return link.reconnect();
        }
        d.savePublicKey(msg.publicKey);
        link.markWelcomed();
        d.onLinkState(true);
        d.uploader.attach((text) => link.sendText(text));
        return;
      case 'permissions': {
        const r = d.permissions.apply(msg, d.now());
        if (r === 'version-gap') {
          d.log.warn(`permission delta from ${msg.fromVersion} does not follow ${d.permissions.version}: asking for a snapshot`);
          d.permissions.resetVersion();
          return link.reconnect();
        }
        this.permissionsThisSession = true;
        d.log.info(`permissions ${msg.kind} v${msg.version}: ${d.permissions.size} members`);
        return;
      }
      case 'events.ack':
        return d.uploader.onAck(msg.batchId);
      case 'command':
        return d.runCommand(msg.command);
      case 'error':
        d.log.warn(`cloud error ${msg.code}: ${msg.message}`);
        return;
    }
  }

  /** Heartbeat tick while connected: refreshes the cache stamp when this session is in sync. */
  onHeartbeat(connected: boolean): void {
    if (connected && this.permissionsThisSession) this.deps.permissions.markSynced(this.deps.now());
  }

  onDown(): void {
    this.permissionsThisSession = false;
    this.deps.uploader.detach();
    this.deps.onLinkState(false);
  }

  reportOutcome(link: EdgeLink | undefined, outcome: CommandOutcome): void {
    link?.send({ type: 'command.outcome', outcome });
  }
}
