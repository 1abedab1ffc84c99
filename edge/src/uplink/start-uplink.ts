import { siteDocName, type CommandOutcome, type EdgeToCloud, type RemoteCommand, type SiteRecord } from '@cr/shared';
import type * as Y from 'yjs';
import type { EdgeConfig } from '../config';
import type { GatewayContext } from '../gateway/context';
import type { Outbox } from '../store/outbox';
import type { TokenVerifier } from '../http/token-verifier';
import type { BurstLog, Logger } from '../log';
import type { IssuedLogins } from '../mqtt/issued-logins';
import { sameMode, stricterMode } from '../domain/stricter-mode';
import { EdgeLink } from './edge-link';
import { Uploader } from './uploader';
import { CloudSession } from './cloud-session';
import { CloudClock } from './cloud-clock';
import { EdgeTokenStore } from './edge-token';
import { DocSync } from './doc-sync';
import { DeviceReporter } from './device-report';
import { devicesApi } from '../gateway/device-admin';

export interface Uplink {
  uploader: Uploader;
  link: EdgeLink;
  /** the edge's estimate of its offset from the cloud's clock */
  clock: CloudClock;
  /** the edge token in use (the cloud renews it over the link) */
  tokens: EdgeTokenStore;
  session: CloudSession;
  readonly connected: boolean;
  report(outcome: CommandOutcome): void;
  /** a device changed: the cloud gets the site's device list (debounced) */
  devicesChanged(): void;
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
  /** per-device MQTT logins issued in the cloud (closed embedded broker) */
  logins: Pick<IssuedLogins, 'adopt'>;
}

/** Raises `clock-skew` while the edge's clock is more than 30 s off the cloud's, and clears it after. */
function skewAlarm(ctx: GatewayContext): (skewed: boolean, offsetMs: number) => void {
  return (skewed, offsetMs) => {
    const now = ctx.now();
    const seconds = Math.round(Math.abs(offsetMs) / 1000);
    if (skewed) ctx.site.alerts.raise('clock-skew', { message: `edge clock is ${seconds} s ${offsetMs > 0 ? 'behind' : 'ahead of'} the cloud` }, now);
    else ctx.site.alerts.clear('clock-skew', undefined, now, 'edge clock within 30 s of the cloud');
  };
}

/** The cloud's record of the site wins where it is stricter (a replacement gateway starts empty). */
function adoptSiteRecord(ctx: GatewayContext, log: Logger): (record: SiteRecord) => void {
  return (record) => {
    const own = ctx.modes.state;
    const next = stricterMode(own, record);
    if (sameMode(next, own)) return;
    const now = ctx.now();
    log.warn(`cloud record: ${record.mode}${record.fireActive ? ' with fire active' : ''}; site goes ${next.mode}`);
    ctx.modes.apply({ ...own, ...next, changedAt: now, changedBy: 'cloud record' }, now, 'cloud record');
  };
}

/** Everything that talks to the cloud: the control link, the event upload and the document sync. */
export function startUplink(deps: UplinkDeps): Uplink {
  const { config, ctx, outbox } = deps;
  const cloudUrl = config.cloudUrl!;
  const tokens = new EdgeTokenStore(ctx.permissions.settings, config.token!, config);
  const uploads = { batchSize: config.batchSize, window: config.uploadWindow, ackTimeoutMs: config.ackTimeoutMs };
  const uploader = new Uploader(outbox, uploads, (n) => ctx.metrics.eventsUploaded.inc(n));
  const clock = new CloudClock(skewAlarm(ctx));
  // Sent only on a welcomed link; `link` is created below, before any message can arrive.
  const devices = new DeviceReporter(() => devicesApi(ctx).list(), (msg) => link.connected && link.send(msg), ctx.now);
  const docSync = new DocSync(cloudUrl, siteDocName(config.tenantId, config.siteId), deps.doc, tokens.current, config.reconnectMaxMs);
  const detachTelemetry = ctx.site.telemetry.attach(docSync.awareness);
  const session = new CloudSession({
    siteId: config.siteId,
    tenantId: config.tenantId,
    log: deps.log,
    permissions: ctx.permissions,
    uploader,
    verifier: deps.verifier,
    tokens,
    clock,
    adoptSiteRecord: adoptSiteRecord(ctx, deps.log),
    runCommand: deps.runCommand,
    admission: devicesApi(ctx),
    firmware: ctx.firmware,
    logins: deps.logins,
    bookings: ctx.bookings,
    policy: ctx.policy,
    onTokenRenewed: (token) => docSync.setToken(token),
    onLinkState: (up) => {
      if (up) {
        devices.onWelcome();
        ctx.firmware.flush();
      }
      else devices.onDown();
      ctx.metrics.cloudConnected.set(up ? 1 : 0);
      deps.log.info(`cloud link ${up ? 'up' : 'down'}`, { cloudLink: up ? 'up' : 'down' });
    },
    now: ctx.now,
  });
  const state = () => ({ mode: ctx.modes.mode, fireActive: ctx.modes.state.fireActive, outboxDepth: outbox.depth });
  const link = new EdgeLink(
    { cloudUrl, token: () => tokens.current, heartbeatMs: config.heartbeatMs, reconnectMinMs: config.reconnectMinMs, reconnectMaxMs: config.reconnectMaxMs },
    {
      hello: (): EdgeToCloud => {
        const ts = ctx.now();
        session.onHello(ts);
        return { type: 'hello', siteId: config.siteId, permissionsVersion: ctx.permissions.version, ...state(), version: '0.1.0', ts };
      },
      heartbeat: () => {
        session.onHeartbeat(link.connected);
        return { type: 'heartbeat', ...state(), permissionsSyncedAt: ctx.permissions.syncedAt, ts: ctx.now() };
      },
      onMessage: (msg, l) => session.onMessage(msg, l),
      onDown: () => session.onDown(),
      onMalformed: (detail) => deps.burst.warn('cloud link', detail),
    },
    deps.log,
    deps.burst,
  );
  link.start();
  return {
    uploader,
    link,
    clock,
    tokens,
    session,
    get connected() {
      return link.connected;
    },
    report: (outcome) => session.reportOutcome(link, outcome),
    devicesChanged: () => devices.changed(),
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
      devices.cancel();
      link.stop();
      detachTelemetry();
      docSync.destroy();
    },
  };
}
