import { randomUUID } from 'node:crypto';
import type { CloudConfig } from './config';
import { createMetrics, type CloudMetrics } from './metrics';
import { DocRegistry } from './sync/doc-registry';
import { UserSockets } from './sync/user-sockets';
import { AuthService } from './domain/auth-service';
import { LoginRateLimit, type LoginLimits } from './domain/login-rate-limit';
import { Revocations } from './domain/revocations';
import { loadOrCreateSigningKeys, type SigningKeys } from './domain/signing-keys';
import { loadMasterKey, loadOrCreateSecret } from './domain/secrets';
import { EventPrivacy } from './domain/event-privacy';
import { EventIngest } from './domain/event-ingest';
import { SiteStatusService } from './domain/site-status';
import { registerFleetMetrics } from './domain/fleet-metrics';
import { VendorViews } from './domain/vendor-view';
import { LinkHub } from './edge-link/link-hub';
import { CommandService } from './domain/command-service';
import { MemberService } from './domain/member-service';
import { ReportService } from './domain/reports/report-service';
import { AlertAuditor } from './domain/audit/alert-audit';
import { queuedAlertAuditWriter, sqliteAlertAuditWriter, type AlertAuditWriter } from './domain/audit/alert-audit-writers';
import { UserAdmin } from './domain/user-admin';
import { DeviceLogins } from './domain/device-logins';
import { SiteAdmin } from './domain/site-admin';
import { SiteDevices } from './domain/site-devices';
import { watchAvailability, type DeviceAvailability } from './domain/device-availability';
import { TelemetryRecorder } from './domain/telemetry-recorder';
import { createNotifications, type Notifications } from './domain/notifications/notifications';
import { maintenanceOpen } from './domain/notifications/quiet';
import type { DeliveryTuning } from './domain/notifications/delivery-worker';
import type {
  AuditPort,
  CommandsPort,
  EventsPort,
  MembersPort,
  TenantsPort,
  TokensPort,
  UsersPort,
} from './store/ports';
import { createCloudLog, type CloudLog } from './log';
import type { CommitQueue } from './store/commit-queue';
import type { CloudStores, SqliteParts } from './store/cloud-stores';
import { openCloudStores } from './store/open-cloud-stores';
import { FirmwareRollouts } from './domain/firmware/firmware-rollouts';
import { PolicyService } from './domain/policy/policy-service';
import { joinSharedServices, openSharedStream, type SharedServices } from './cluster/shared-services';
import { createBookings, type Bookings } from './domain/booking/bookings';

/** Every store and service of one cloud instance. */
export interface CloudContext {
  config: CloudConfig;
  /** this process among the instances sharing a store (holder of job leases, owner of edge links) */
  instanceId: string;
  /** what this instance depends on, each pinged by `/health`: the store, and the bus and stream when joined */
  dependencies: Dependency[];
  /** the instance's one logger (JSON lines on stderr), which every part logs through */
  log: CloudLog;
  /** every store, on SQLite (the default) or PostgreSQL */
  stores: CloudStores;
  /** on SQLite one transaction (one fsync) for all event batches and document updates of a tick */
  commits: CommitQueue;
  /** the SQLite stores themselves (SQLite only), for work done statement by statement in the group commit */
  sqlite?: SqliteParts;
  metrics: CloudMetrics;
  keys: SigningKeys;
  tenants: TenantsPort;
  users: UsersPort;
  tokens: TokensPort;
  members: MembersPort;
  events: EventsPort;
  commandsStore: CommandsPort;
  audit: AuditPort;
  docs: DocRegistry;
  auth: AuthService;
  ingest: EventIngest;
  status: SiteStatusService;
  vendors: VendorViews;
  hub: LinkHub;
  commands: CommandService;
  memberService: MemberService;
  reports: ReportService;
  userAdmin: UserAdmin;
  userSockets: UserSockets;
  siteAdmin: SiteAdmin;
  /** each site's devices as its edge reports them (not the site document's copy) */
  devices: SiteDevices;
  /** each device's availability history, from the edges' reports and their links */
  availability: DeviceAvailability;
  /** the bus and event stream shared with other instances, when configured */
  shared: SharedServices;
  /** the alert-action audit's pending records (flushed before the stores close) */
  alertAudit: AlertAuditWriter;
  /** per-minute aggregates of the readings gateways announce live (stored as each minute ends) */
  telemetry: TelemetryRecorder;
  /** alert notifications: channels, rules, the durable outbox and its delivery worker */
  notifications: Notifications;
  /** firmware rollouts, driven batch by batch through the sites' edges */
  firmware: FirmwareRollouts;
  /** per-device MQTT logins of closed embedded brokers */
  deviceLogins: DeviceLogins;
  /** site policies: versions, rollouts and their delivery to the sites' edges (CONTRACT.md §9) */
  policies: PolicyService;
  /** resources, bookings, series, the edges' booking feed and the booking reports (CONTRACT.md §8) */
  bookings: Bookings;
}

/** A service the instance needs; `ping` rejects when it does not answer. */
export interface Dependency {
  name: 'store' | 'bus' | 'stream';
  ping(): Promise<void>;
}

/** Tuning that tests shorten; production uses the defaults. */
export interface ContextTuning {
  docIdleMs?: number;
  compactAfterRows?: number;
  maxDocBytes?: number;
  loginLimits?: Partial<LoginLimits>;
  /** notification delivery timings (retry backoff, circuit breaker, timeout, polling) */
  notifications?: Partial<DeliveryTuning>;
}

export async function createContext(
  config: CloudConfig,
  tuning: ContextTuning = {},
  log: CloudLog = createCloudLog({ level: config.logLevel }),
): Promise<CloudContext> {
  const metrics = createMetrics();
  const instanceId = `cloud-${randomUUID().slice(0, 8)}`;
  const stores = await openCloudStores(config, metrics, log);
  const keys = await loadOrCreateSigningKeys(config.dataDir);
  const { tenants, users, tokens, members, events, audit, commits } = stores;
  const commandsStore = stores.commands;
  const docs = new DocRegistry(stores.docUpdates, metrics, {
    idleMs: tuning.docIdleMs,
    compactAfterRows: tuning.compactAfterRows,
    maxDocBytes: tuning.maxDocBytes,
    commits: stores.sqlite?.commits,
    log,
  });
  // Before any document loads: alert actions already in stored documents are recorded on load.
  const alertAudit = stores.sqlite
    ? sqliteAlertAuditWriter(stores.sqlite.audit, log, stores.sqlite.commits)
    : queuedAlertAuditWriter(audit, log);
  new AlertAuditor(alertAudit).attach(docs);
  const telemetry = new TelemetryRecorder(stores.telemetryMinutes, log);
  docs.onPresence((name, state, origin) => telemetry.observe(name, state, origin));
  const revocations = new Revocations(tokens);
  const auth = new AuthService({
    users,
    tokens,
    audit,
    keys,
    rateLimit: new LoginRateLimit(tuning.loginLimits),
    revocations,
    tenants,
  });
  const privacy = new EventPrivacy(loadOrCreateSecret(config.dataDir, 'event-hash'));
  const devices = new SiteDevices(stores.deviceReports, config.demo, log);
  await devices.init();
  const eventStream = await openSharedStream(config, log).catch(async (err: unknown) => {
    await stores.close();
    throw err;
  });
  const hub = new LinkHub(members, metrics, log);
  const bookings = createBookings({
    stores,
    members,
    audit,
    hub,
    log,
    noShowGraceMs: config.noShowGraceMs,
    rejectedFacts: metrics.bookingFactsRejected,
  });
  const ingest = new EventIngest({ write: stores.write, docs, privacy, metrics, devices, stream: eventStream, bookingFacts: bookings.facts, log });
  const status = new SiteStatusService(
    docs,
    tenants,
    metrics,
    config.linkTimeoutMs,
    stores.siteReports,
    log,
  );
  await status.init();
  const vendors = new VendorViews(docs, tenants, users);
  status.onSiteChanged((t, s) => vendors.refreshSite(t, s));
  const availability = watchAvailability(stores.deviceAvailability, devices, status, log);
  const notifications = createNotifications({
    config,
    stores,
    tenants,
    audit,
    docs,
    masterKey: loadMasterKey(config.dataDir),
    instanceId,
    log,
    tuning: tuning.notifications,
  });
  status.onSiteChanged(async (t, s) => void (await notifications.siteChanged(t, s)));
  registerFleetMetrics(metrics.fleet, { tenants, status, hub });
  // Edges verify LAN tokens offline: a change to the revocation list reaches them at once.
  revocations.onChange((tenantId) => {
    revocations
      .message(tenantId)
      .then((msg) => hub.broadcast(tenantId, msg))
      .catch((err: Error) => log.error({ tenantId }, `revocations: list of ${tenantId} not sent: ${err.message}`));
  });
  const commands = new CommandService(commandsStore, audit, hub, metrics, config.commandTtlMs, log);
  const firmware = new FirmwareRollouts({
    store: stores.firmwareRollouts,
    hub,
    devices,
    audit,
    privateKey: keys.privateKey,
    log,
    inMaintenance: async (tenantId, siteId, deviceId, now) => maintenanceOpen(await notifications.silences.forTenant(tenantId), siteId, deviceId, now),
  });
  await commands.resume();
  const memberService = new MemberService(members, audit, hub, tenants);
  const reports = new ReportService({ reports: stores.reports, events, commandsStore, tenants, docs, audit });
  const userSockets = new UserSockets();
  const userAdmin = new UserAdmin({
    users,
    tokens,
    tenants,
    audit,
    endLiveSessions: (id) => {
      userSockets.closeUser(id);
      void (async () => {
        const u = await users.byId(id);
        if (u) await revocations.revokeUser(u.tenantId, id);
      })().catch((err: Error) =>
        log.error({ userId: id }, `user admin: sessions of ${id} not revoked: ${err.message}`),
      );
    },
  });
  const siteAdmin = new SiteAdmin({ tenants, docs, status, audit, zones: stores.zones, hub, devices });
  const deviceLogins = new DeviceLogins({ store: stores.deviceLogins, hub, audit });
  const policies = new PolicyService({
    store: stores.policies,
    rollouts: stores.policyRollouts,
    tenants,
    audit,
    hub,
    log,
    events,
    docs,
    bookings: stores.bookings,
    members,
    zones: stores.zones,
  });
  const shared = await joinSharedServices(config, { instanceId, docs, hub, ingest, devices, log, eventStream }).catch(
    async (err: unknown) => {
      await eventStream?.close();
      commands.close();
      status.close();
      await stores.close();
      throw err;
    },
  );
  return {
    config,
    instanceId,
    dependencies: [{ name: 'store', ping: () => stores.ping() }, ...shared.dependencies],
    log,
    stores,
    commits,
    sqlite: stores.sqlite,
    metrics,
    keys,
    tenants,
    users,
    tokens,
    members,
    events,
    commandsStore,
    audit,
    docs,
    auth,
    ingest,
    status,
    vendors,
    hub,
    commands,
    memberService,
    reports,
    userAdmin,
    userSockets,
    siteAdmin,
    devices,
    availability,
    shared,
    alertAudit,
    telemetry,
    notifications,
    firmware,
    deviceLogins,
    bookings,
    policies,
  };
}
