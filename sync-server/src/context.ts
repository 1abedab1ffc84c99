import type { CloudConfig } from './config';
import { openDb, type Db } from './store/db';
import { TenantsStore } from './store/tenants-store';
import { UsersStore } from './store/users-store';
import { TokensStore } from './store/tokens-store';
import { MembersStore } from './store/members-store';
import { EventsStore } from './store/events-store';
import { CommandsStore } from './store/commands-store';
import { AuditStore } from './store/audit-store';
import { DocUpdatesStore } from './store/doc-updates-store';
import { ReportsStore } from './store/reports-store';
import { Checkpointer, GroupCommit } from '@cr/store-kit';
import { createMetrics, type CloudMetrics } from './metrics';
import { DocRegistry } from './sync/doc-registry';
import { UserSockets } from './sync/user-sockets';
import { AuthService } from './domain/auth-service';
import { LoginRateLimit, type LoginLimits } from './domain/login-rate-limit';
import { Revocations } from './domain/revocations';
import { loadOrCreateSigningKeys, type SigningKeys } from './domain/signing-keys';
import { loadOrCreateSecret } from './domain/secrets';
import { EventPrivacy } from './domain/event-privacy';
import { EventIngest } from './domain/event-ingest';
import { SiteStatusService } from './domain/site-status';
import { registerFleetMetrics } from './domain/fleet-metrics';
import { SiteReportsStore } from './store/site-reports-store';
import { VendorViews } from './domain/vendor-view';
import { LinkHub } from './edge-link/link-hub';
import { CommandService } from './domain/command-service';
import { MemberService } from './domain/member-service';
import { ReportService } from './domain/reports/report-service';
import { AlertAuditor } from './domain/audit/alert-audit';
import { UserAdmin } from './domain/user-admin';
import { SiteAdmin } from './domain/site-admin';
import { ZonesStore } from './store/zones-store';
import { DeviceReportsStore } from './store/device-reports-store';
import { SiteDevices } from './domain/site-devices';
import { join } from 'node:path';
import { createCloudLog, type CloudLog } from './log';

/** Every store and service of one cloud instance. */
export interface CloudContext {
  config: CloudConfig;
  /** the instance's one logger (JSON lines on stderr), which every part logs through */
  log: CloudLog;
  db: Db;
  /** one transaction (one fsync) for all event batches and document updates of a tick */
  commits: GroupCommit;
  metrics: CloudMetrics;
  keys: SigningKeys;
  tenants: TenantsStore;
  users: UsersStore;
  tokens: TokensStore;
  members: MembersStore;
  events: EventsStore;
  commandsStore: CommandsStore;
  audit: AuditStore;
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
}

/** Tuning that tests shorten; production uses the defaults. */
export interface ContextTuning {
  docIdleMs?: number;
  compactAfterRows?: number;
  maxDocBytes?: number;
  loginLimits?: Partial<LoginLimits>;
}

export async function createContext(
  config: CloudConfig,
  tuning: ContextTuning = {},
  log: CloudLog = createCloudLog({ level: config.logLevel }),
): Promise<CloudContext> {
  const db = openDb(join(config.dataDir, 'cloud.db'));
  const metrics = createMetrics();
  const keys = await loadOrCreateSigningKeys(config.dataDir);
  const tenants = new TenantsStore(db);
  const users = new UsersStore(db);
  const tokens = new TokensStore(db);
  const members = new MembersStore(db);
  const events = new EventsStore(db);
  const commandsStore = new CommandsStore(db);
  const audit = new AuditStore(db);
  const commits = new GroupCommit(db, {
    flushLogOffLoop: true,
    onCommit: (c) => {
      metrics.storeCommits.inc();
      metrics.storeCommitWrites.inc(c.writes);
      metrics.storeCommitSeconds.observe(c.ms / 1000);
    },
    checkpoints: new Checkpointer(db),
  });
  const docs = new DocRegistry(new DocUpdatesStore(db), metrics, {
    idleMs: tuning.docIdleMs,
    compactAfterRows: tuning.compactAfterRows,
    maxDocBytes: tuning.maxDocBytes,
    commits,
    log,
  });
  // Before any document loads: alert actions already in stored documents are recorded on load.
  new AlertAuditor(db, audit, commits, log).attach(docs);
  const revocations = new Revocations(tokens);
  const auth = new AuthService({ users, tokens, audit, keys, rateLimit: new LoginRateLimit(tuning.loginLimits), revocations, tenants });
  const privacy = new EventPrivacy(loadOrCreateSecret(config.dataDir, 'event-hash'));
  const devices = new SiteDevices(new DeviceReportsStore(db), commits, config.demo, log);
  const ingest = new EventIngest({ commits, events, audit, docs, privacy, metrics, devices });
  const status = new SiteStatusService(docs, tenants, metrics, config.linkTimeoutMs, new SiteReportsStore(db), log);
  const vendors = new VendorViews(docs, tenants, users);
  status.onSiteChanged((t, s) => vendors.refreshSite(t, s));
  const hub = new LinkHub(members, metrics);
  registerFleetMetrics(metrics.fleet, { tenants, status, hub });
  // Edges verify LAN tokens offline: a change to the revocation list reaches them at once.
  revocations.onChange((tenantId) => hub.broadcast(tenantId, revocations.message(tenantId)));
  const commands = new CommandService(commandsStore, audit, hub, metrics, config.commandTtlMs);
  const memberService = new MemberService(members, audit, hub, tenants);
  const reports = new ReportService({ db, reports: new ReportsStore(db), events, commandsStore, tenants, docs, audit });
  const userSockets = new UserSockets();
  const userAdmin = new UserAdmin({
    users,
    tokens,
    tenants,
    audit,
    endLiveSessions: (id) => {
      userSockets.closeUser(id);
      const u = users.byId(id);
      if (u) revocations.revokeUser(u.tenantId, id);
    },
  });
  const siteAdmin = new SiteAdmin({ tenants, docs, status, audit, zones: new ZonesStore(db) });
  return {
    config,
    log,
    db,
    commits,
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
  };
}
