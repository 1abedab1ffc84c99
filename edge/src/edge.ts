import * as Y from 'yjs';
import { deviceChannelFilter, EDGE_ONLY_CHANNELS, edgeStatusTopic, MAX_DEVICES_PER_SITE, siteDocName, TOPIC_ROOT } from '@cr/shared';
import type { EdgeConfig } from './config';
import { BurstLog, createLogger, type Logger } from './log';
import { createMetrics, type EdgeMetrics } from './metrics';
import { openDb, Settings } from './store/db';
import { Outbox } from './store/outbox';
import { Checkpointer, GroupCommit } from '@cr/store-kit';
import { PermissionCache } from './store/permission-cache';
import { DeviceStore } from './store/device-store';
import { DocStore } from './store/doc-store';
import type { DeviceBus } from './mqtt/bus';
import { EmbeddedBus } from './mqtt/embedded-bus';
import { ClientBus } from './mqtt/client-bus';
import { DeviceAuth } from './mqtt/device-auth';
import { IssuedLogins } from './mqtt/issued-logins';
import { probeBroker, withoutCredentials } from './mqtt/broker-probe';
import { DeviceRegistry } from './domain/device-registry';
import { DoorSafety } from './domain/door-safety';
import { Occupancy } from './domain/occupancy';
import { SiteWatch } from './domain/site-watch';
import { SiteWriter } from './site/site-writer';
import { EventRecorder } from './gateway/recorder';
import { DoorCommander } from './gateway/door-commander';
import { ModeController } from './gateway/mode-controller';
import { ModeDoors } from './gateway/mode-doors';
import { FirmwareUpdates } from './gateway/firmware-updates';
import { PinThrottle } from './gateway/pin-throttle';
import { createBookingDesk } from './gateway/bookings';
import { Admission } from './domain/admission';
import { SiteZones } from './store/site-zones';
import { AdmissionStore } from './store/admission-store';
import { devicesApi } from './gateway/device-admin';
import type { GatewayContext } from './gateway/context';
import { inboundFilters, routeMessage } from './gateway/ingest';
import { maintenanceTick, pruneAlerts, pruneInterval, tickInterval } from './gateway/maintenance';
import { CommandBook } from './commands/command-book';
import { CommandExecutor } from './commands/executor';
import { TokenVerifier } from './http/token-verifier';
import { LocalSync } from './http/local-sync';
import { startHttp } from './http/server';
import { startUplink, type Uplink } from './uplink/start-uplink';
import { healthOf, siteViewOf } from './http/views';
import { PolicyHolder } from './policy/policy-holder';
import { startAutomation } from './policy/site-automation';

export interface RunningEdge {
  siteId: string;
  mqttUrl: string;
  mqttPort: number;
  httpUrl: string;
  httpPort: number;
  /** internals, for tests and benchmarks */
  ctx: GatewayContext;
  doc: Y.Doc;
  outbox: Outbox;
  uplink?: Uplink;
  stop(): Promise<void>;
}

/** A forged publish on an edge-only topic: counted, logged and raised as a critical alarm. */
function forgeryAlarm(metrics: EdgeMetrics, burst: BurstLog, site: SiteWriter): (detail: string) => void {
  return (detail) => {
    metrics.malformed.inc({ kind: 'forged' });
    burst.warn('bad input (forged)', detail);
    site.alerts.raise('mqtt.forgery', { message: detail.slice(0, 300) }, Date.now());
  };
}

async function openBus(config: EdgeConfig, metrics: EdgeMetrics, burst: BurstLog, site: SiteWriter, logins: IssuedLogins): Promise<DeviceBus> {
  const status = { topic: edgeStatusTopic(config.siteId), online: 'online', offline: 'offline' };
  const forged = forgeryAlarm(metrics, burst, site);
  if (config.mqttUrl) {
    // Threat: an open site broker on which any LAN client can unlock doors; the edge cannot stop its deliveries.
    if ((await probeBroker(config.mqttUrl, config.siteId)) === 'open') {
      const broker = withoutCredentials(config.mqttUrl);
      if (!config.insecureOpenBroker) throw new Error(`the broker at ${broker} delivers door commands published without credentials; close it with an ACL (see edge/README.md) or accept the risk with --insecure-open-broker`);
      burst.warn('open broker', `the broker at ${broker} lets any client publish door commands (--insecure-open-broker)`);
    }
    const watch = [...EDGE_ONLY_CHANNELS.map((c) => deviceChannelFilter(config.siteId, c)), status.topic];
    return ClientBus.connect(config.mqttUrl, `edge-${config.siteId}`, status, { watch, onForged: (topic) => forged(`a message the edge did not send arrived on ${topic.slice(0, 120)}`) });
  }
  const auth = config.mqttClosed
    ? new DeviceAuth(
        config.siteId,
        config.mqttUsers ?? [],
        (why, detail) => {
          metrics.mqttRefused.inc({ why });
          burst.warn(`mqtt ${why} refused`, detail);
        },
        logins,
      )
    : undefined;
  if (auth) logins.onRevoked = (usernames) => void auth.endSessions(usernames);
  return EmbeddedBus.start(config.mqttPort, config.bind, {
    auth,
    onRejected: (kind, detail) => {
      if (kind === 'forged') return forged(detail);
      metrics.malformed.inc({ kind });
      burst.warn(`bad input (${kind})`, detail);
    },
  });
}

/** Starts one edge gateway: stores, broker or broker client, gateway logic, cloud uplink, local HTTP. */
export async function startEdge(config: EdgeConfig, log: Logger = createLogger({ site: config.siteId, quiet: config.quiet })): Promise<RunningEdge> {
  const db = openDb(config.dataDir, config.sqliteSync, { backgroundCheckpoints: config.checkpointMs > 0 });
  const checkpointer = config.checkpointMs > 0 ? new Checkpointer(db.name, config.sqliteSync, config.checkpointMs, (m) => log.error(`WAL checkpoint: ${m}`)) : undefined;
  const commits = new GroupCommit(db, config.commitWindowMs);
  const settings = new Settings(db);
  const outbox = new Outbox(db, config.outboxMaxEvents, commits, { windowMs: config.replayWindowMs, maxIds: config.replayMaxIds });
  const permissions = new PermissionCache(db, commits);
  const deviceStore = new DeviceStore(db, commits);
  const doc = new Y.Doc();
  new DocStore(db, commits, (err) => log.error(`site document not persisted: ${err.message}`)).load(doc);
  const metrics = createMetrics();
  const burst = new BurstLog(log);
  const site = new SiteWriter(doc, config.siteId, config.stateWriteMs);
  const logins = new IssuedLogins(settings);
  const bus = await openBus(config, metrics, burst, site, logins);
  const registry = new DeviceRegistry(MAX_DEVICES_PER_SITE);
  const now = (): number => Date.now();
  const doors = new DoorSafety();
  let uplink: Uplink | undefined;
  const recorder = new EventRecorder(outbox, metrics, burst, () => uplink?.uploader.kick());
  const commander = new DoorCommander(bus, config.siteId, doors, now);
  const modes = new ModeController(settings, { metrics, site, recorder, doors: new ModeDoors(commander, registry, doors, now) });
  const zones = new SiteZones(settings);
  const admission = new Admission(new AdmissionStore(db, commits), zones, config.commissioningMinutes > 0 ? now() + config.commissioningMinutes * 60_000 : 0);
  const verifier = new TokenVerifier(settings);
  const firmware = new FirmwareUpdates({
    siteId: config.siteId,
    bus,
    registry,
    mode: () => modes.state,
    cloudKey: () => verifier.pinned,
    report: (msg) => (uplink?.link.connected ? uplink.link.send(msg) : false),
    badInput: (detail) => {
      metrics.malformed.inc({ kind: 'schema' });
      burst.warn('bad input (schema)', detail.slice(0, 200));
    },
    log,
    now,
    keep: settings,
  });
  const occupancy = new Occupancy();
  const watch = new SiteWatch(config);
  const bookings = createBookingDesk({ db, commits, watch, occupancy, permissions, recorder, metrics, site, log, now });
  const ctx: GatewayContext = { config, log, burst, metrics, bus, permissions, deviceStore, registry, doors, occupancy, watch, site, recorder, modes, commander, admission, zones, pins: new PinThrottle(), firmware, bookings, policy: new PolicyHolder(settings, log), devicesChanged: () => uplink?.devicesChanged(), now };
  // Threat to safety: a full or failing disk. Events stay in memory and an operator is told.
  outbox.onStorage = (failing, detail) => {
    if (failing) {
      log.error(`storage failing, events held in memory: ${detail}`);
      site.alerts.raise('storage.failed', { message: `the gateway's disk refuses writes (${detail.slice(0, 120)}); events are held in memory` }, now());
    } else {
      log.info('storage recovered: held events committed');
      site.alerts.clear('storage.failed', undefined, now(), detail);
    }
  };
  for (const device of deviceStore.all()) registry.upsert(admission.place(device), now(), device);
  const meta = site.view.meta();
  if (meta.mode !== modes.state.mode || meta.fireActive !== modes.state.fireActive) site.setMode(modes.state.mode, modes.state.fireActive, now(), 'edge');

  const book = new CommandBook(db, commits, (err) => log.error(`command record not persisted: ${err.message}`));
  const executor = new CommandExecutor(ctx, book, (outcome, source) => source === 'cloud' && uplink?.report(outcome));
  if (config.cloudUrl && config.token) {
    uplink = startUplink({ config, ctx, doc, outbox, verifier, log, burst, runCommand: (cmd) => void executor.execute(cmd, 'cloud'), logins });
  }
  // The embedded broker shows the edge every publish under `cr/`, so stray and spoofed topics are counted.
  const filters = bus instanceof EmbeddedBus ? [`${TOPIC_ROOT}/#`] : inboundFilters(config.siteId);
  await bus.subscribe(filters, (topic, payload) => routeMessage(ctx, topic, payload));
  if (bus instanceof EmbeddedBus) bus.publish(edgeStatusTopic(config.siteId), 'online', { retain: true });

  const docName = siteDocName(config.tenantId, config.siteId);
  const localSync = new LocalSync(doc, docName, verifier, { tenantId: config.tenantId, siteId: config.siteId });
  site.telemetry.attach(localSync.awareness);
  const http = await startHttp(
    {
      siteId: config.siteId,
      tenantId: config.tenantId,
      registry: metrics.registry,
      verifier,
      book,
      testControls: config.testControls,
      health: () => healthOf(ctx, outbox, uplink),
      siteView: () => siteViewOf(ctx),
      runCommand: (cmd, principal) => void executor.execute(cmd, 'local', principal),
      setLink: (up) => uplink?.setEnabled(up),
      devices: devicesApi(ctx),
      bookings: () => bookings.list(),
    },
    localSync,
    config.httpPort,
    config.bind,
    log,
  );
  const tick = setInterval(() => maintenanceTick(ctx, outbox), tickInterval(ctx));
  const automation = startAutomation(ctx, ctx.policy);
  maintenanceTick(ctx, outbox);
  bookings.tick();
  const pruning = setInterval(() => pruneAlerts(ctx), pruneInterval(ctx));
  pruneAlerts(ctx);

  let stopped = false;
  return {
    siteId: config.siteId,
    mqttUrl: bus.url,
    mqttPort: Number(new URL(bus.url).port),
    httpUrl: `http://127.0.0.1:${http.port}`,
    httpPort: http.port,
    ctx,
    doc,
    outbox,
    uplink,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(tick);
      clearInterval(pruning);
      automation.stop();
      outbox.close();
      uplink?.stop();
      site.close();
      commander.close();
      firmware.close();
      bookings.close();
      bus.publish(edgeStatusTopic(config.siteId), 'offline', { retain: true, qos: 1 });
      await bus.close();
      localSync.close();
      http.server.closeAllConnections();
      await new Promise<void>((resolve) => http.server.close(() => resolve()));
      commits.flush();
      await checkpointer?.stop();
      db.close();
    },
  };
}
