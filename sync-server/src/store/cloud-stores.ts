import { join } from 'node:path';
import { Checkpointer, GroupCommit } from '@cr/store-kit';
import type { CloudMetrics } from '../metrics';
import { groupCommitWrite, type IngestWrite } from '../domain/ingest-writers';
import { openDb, type Db } from './db';
import { retainSqlite } from '../domain/retention';
import type { RetentionReport } from './retention-sweeps';
import { soleInstanceLeases, type JobLeases } from './job-leases';
import type { CommitQueue } from './commit-queue';
import { AuditStore } from './audit-store';
import { CommandsStore } from './commands-store';
import { FirmwareRolloutsStore } from './firmware-rollouts-store';
import { DeviceAvailabilityStore } from './device-availability-store';
import { TelemetryMinutesStore } from './telemetry-minutes-store';
import { DeviceReportsStore } from './device-reports-store';
import { DocUpdatesStore } from './doc-updates-store';
import { EventsStore } from './events-store';
import { MembersStore } from './members-store';
import { NotificationOutboxStore } from './notification-outbox-store';
import { NotificationSetupStore } from './notification-setup-store';
import { SilencesStore } from './silences-store';
import { ReportsStore } from './reports-store';
import { SiteReportsStore } from './site-reports-store';
import { TenantsStore } from './tenants-store';
import { TokensStore } from './tokens-store';
import { UsersStore } from './users-store';
import { ZonesStore } from './zones-store';
import { DeviceLoginsStore } from './device-logins-store';
import { BookingsStore } from './bookings-store';
import { BookingResourcesStore } from './booking-resources-store';
import { BookingSeriesStore } from './booking-series-store';
import { BookingUsageStore } from './booking-usage-store';
import { PoliciesStore } from './policies-store';
import { PolicyRolloutsStore } from './policy-rollouts-store';
import {
  sqlitePort,
  type AuditPort,
  type CommandsPort,
  type FirmwareRolloutsPort,
  type DeviceAvailabilityPort,
  type TelemetryMinutesPort,
  type DeviceLoginsPort,
  type DeviceReportsPort,
  type DocUpdatesPort,
  type EventsPort,
  type MembersPort,
  type NotificationOutboxPort,
  type NotificationSetupPort,
  type SilencesPort,
  type ReportsPort,
  type SiteReportsPort,
  type TenantsPort,
  type TokensPort,
  type UsersPort,
  type ZonesPort,
  type BookingsPort,
  type BookingResourcesPort,
  type BookingSeriesPort,
  type BookingUsagePort,
  type PoliciesPort,
  type PolicyRolloutsPort,
} from './ports';

/** The SQLite stores themselves, for work done statement by statement inside the group commit. */
export interface SqliteParts {
  db: Db;
  commits: GroupCommit;
  events: EventsStore;
  tokens: TokensStore;
  audit: AuditStore;
}

/** Every store of one cloud instance, on one backend. */
export interface CloudStores {
  backend: 'sqlite' | 'postgres';
  tenants: TenantsPort;
  zones: ZonesPort;
  users: UsersPort;
  tokens: TokensPort;
  members: MembersPort;
  events: EventsPort;
  commands: CommandsPort;
  /** firmware rollouts and each device's progress */
  firmwareRollouts: FirmwareRolloutsPort;
  audit: AuditPort;
  reports: ReportsPort;
  siteReports: SiteReportsPort;
  deviceReports: DeviceReportsPort;
  /** each device's availability transitions (the fleet view's history) */
  deviceAvailability: DeviceAvailabilityPort;
  /** per-minute aggregates of device readings (the reports' time series) */
  telemetryMinutes: TelemetryMinutesPort;
  /** per-device MQTT logins for closed embedded brokers */
  deviceLogins: DeviceLoginsPort;
  /** notification channels and routing rules */
  notificationSetup: NotificationSetupPort;
  silences: SilencesPort;
  /** the durable outbox of notifications and their delivery attempts */
  notificationOutbox: NotificationOutboxPort;
  /** bookable resources, bookings with their facts, booking series and usage records (CONTRACT.md §8) */
  bookingResources: BookingResourcesPort;
  bookings: BookingsPort;
  bookingSeries: BookingSeriesPort;
  bookingUsage: BookingUsagePort;
  /** site policies, their versions and each site's assignment (CONTRACT.md §9) */
  policies: PoliciesPort;
  /** staged policy rollouts: first sites, a wait, then the rest */
  policyRollouts: PolicyRolloutsPort;
  /** the SQLite store (written inside the group commit) or the shared PostgreSQL one */
  docUpdates: DocUpdatesStore | DocUpdatesPort;
  /** where writes that may share a commit go */
  commits: CommitQueue;
  /** how an event batch and its audit records become durable */
  write: IngestWrite;
  /** present on SQLite only */
  sqlite?: SqliteParts;
  /** who runs each background job when instances share the store */
  leases: JobLeases;
  /** removes what is older than `cutoff` (personal data past its retention period), step by step */
  retain(cutoff: number, signal?: AbortSignal): Promise<RetentionReport>;
  /** rejects when the database does not answer */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The embedded default: one SQLite file under `dataDir`, one group commit for every hot write
 * (event batches, document updates, device reports) of a tick.
 */
export function openSqliteStores(dataDir: string, metrics: CloudMetrics): CloudStores {
  const db = openDb(join(dataDir, 'cloud.db'));
  const commits = new GroupCommit(db, {
    flushLogOffLoop: true,
    onCommit: (c) => {
      metrics.storeCommits.inc();
      metrics.storeCommitWrites.inc(c.writes);
      metrics.storeCommitSeconds.observe(c.ms / 1000);
    },
    checkpoints: new Checkpointer(db),
  });
  const events = new EventsStore(db);
  const audit = new AuditStore(db);
  const tokens = new TokensStore(db);
  return {
    backend: 'sqlite',
    tenants: sqlitePort(new TenantsStore(db)),
    zones: sqlitePort(new ZonesStore(db)),
    users: sqlitePort(new UsersStore(db)),
    tokens: sqlitePort(tokens),
    members: sqlitePort(new MembersStore(db)),
    events: sqlitePort(events),
    commands: sqlitePort(new CommandsStore(db)),
    firmwareRollouts: sqlitePort(new FirmwareRolloutsStore(db)),
    audit: sqlitePort(audit),
    reports: sqlitePort(new ReportsStore(db)),
    siteReports: sqlitePort(new SiteReportsStore(db)),
    deviceReports: sqlitePort(new DeviceReportsStore(db)),
    deviceAvailability: sqlitePort(new DeviceAvailabilityStore(db)),
    telemetryMinutes: sqlitePort(new TelemetryMinutesStore(db)),
    deviceLogins: sqlitePort(new DeviceLoginsStore(db)),
    notificationSetup: sqlitePort(new NotificationSetupStore(db)),
    silences: sqlitePort(new SilencesStore(db)),
    notificationOutbox: sqlitePort(new NotificationOutboxStore(db)),
    bookingResources: sqlitePort(new BookingResourcesStore(db)),
    bookings: sqlitePort(new BookingsStore(db)),
    bookingSeries: sqlitePort(new BookingSeriesStore(db)),
    bookingUsage: sqlitePort(new BookingUsageStore(db)),
    policies: sqlitePort(new PoliciesStore(db)),
    policyRollouts: sqlitePort(new PolicyRolloutsStore(db)),
    docUpdates: new DocUpdatesStore(db),
    commits,
    write: groupCommitWrite(commits, events, audit),
    sqlite: { db, commits, events, tokens, audit },
    leases: soleInstanceLeases,
    retain: (cutoff, signal) => retainSqlite({ db, commits, events, tokens, audit }, cutoff, signal),
    ping: async () => void db.prepare('SELECT 1').get(),
    async close() {
      // Everything queued for a group commit is durable before the store closes.
      commits.flush();
      await commits.close();
      db.close();
    },
  };
}
