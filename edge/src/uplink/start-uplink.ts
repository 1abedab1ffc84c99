import { siteDocName, type CommandOutcome, type RemoteCommand } from '@cr/shared';
import type * as Y from 'yjs';
import type { EdgeConfig } from '../config';
import type { GatewayContext } from '../gateway/context';
import type { Outbox } from '../store/outbox';
import type { TokenVerifier } from '../http/token-verifier';
import type { BurstLog, Logger } from '../log';
import { EdgeLink } from './edge-link';
import { Uploader } from './uploader';
import { CloudSession } from './cloud-session';
import { DocSync } from './doc-sync';

export interface Uplink {
  uploader: Uploader;
  link: EdgeLink;
  readonly connected: boolean;
  report(outcome: CommandOutcome): void;
  /** cuts (false) or restores (true) both cloud connections */
  setEnabled(up: boolean): void;
  stop(): void;
}

export interface UplinkDeps {
  config: EdgeConfig;
  ctx: GatewayContext;
  doc: Y.Doc;
  outbox: Outbox;
  verifier: TokenVerifier;
  log: Logger;
  burst: BurstLog;
  runCommand(cmd: RemoteCommand): void;
}

/** Everything that talks to the cloud: the control link, the event upload and the document sync. */
export function startUplink(deps: UplinkDeps): Uplink {
  const { config, ctx, outbox } = deps;
  const cloudUrl = config.cloudUrl!;
  const token = config.token!;
  const uploads = { batchSize: config.batchSize, window: config.uploadWindow, ackTimeoutMs: config.ackTimeoutMs };
  const uploader = new Uploader(outbox, uploads, (n) => ctx.metrics.eventsUploaded.inc(n));
  const session = new CloudSession({
    siteId: config.siteId,
    tenantId: config.tenantId,
    log: deps.log,
    permissions: ctx.permissions,
    uploader,
    savePublicKey: (jwk) => deps.verifier.save(jwk),
    runCommand: deps.runCommand,
    onLinkState: (up) => {
      ctx.metrics.cloudConnected.set(up ? 1 : 0);
      deps.log.info(`cloud link ${up ? 'up' : 'down'}`);
    },
    now: ctx.now,
  });
  const link = new EdgeLink(
    { cloudUrl, token, heartbeatMs: config.heartbeatMs, reconnectMinMs: config.reconnectMinMs, reconnectMaxMs: config.reconnectMaxMs },
    {
      hello: () => ({
        type: 'hello',
        siteId: config.siteId,
        permissionsVersion: ctx.permissions.version,
        mode: ctx.modes.mode,
        outboxDepth: outbox.depth,
        version: '0.1.0',
        ts: ctx.now(),
      }),
      heartbeat: () => {
        session.onHeartbeat(link.connected);
        return { type: 'heartbeat', mode: ctx.modes.mode, outboxDepth: outbox.depth, permissionsSyncedAt: ctx.permissions.syncedAt, ts: ctx.now() };
      },
      onMessage: (msg, l) => session.onMessage(msg, l),
      onDown: () => session.onDown(),
      onMalformed: (detail) => deps.burst.warn('cloud link', detail),
    },
    deps.log,
    deps.burst,
  );
  const docSync = new DocSync(cloudUrl, siteDocName(config.tenantId, config.siteId), deps.doc, token, config.reconnectMaxMs);
  link.start();
  return {
    uploader,
    link,
    get connected() {
      return link.connected;
    },
    report: (outcome) => session.reportOutcome(link, outcome),
    setEnabled(up) {
      if (up) {
        link.start();
        docSync.connect();
      } else {
        link.stop();
        docSync.disconnect();
      }
    },
    stop() {
      link.stop();
      docSync.destroy();
    },
  };
}
