import { loadMasterKey, loadOrCreateSecret } from '../../domain/secrets';
import { directWrite } from '../../domain/ingest-writers';
import { DirectCommits } from '../commit-queue';
import type { CloudStores } from '../cloud-stores';
import { openPostgres, StoreUnreachable, whereOf, type PgDb } from './pg-db';
import type { CloudLog } from '../../log';

import { PgTenantsStore } from './pg-tenants-store';
import { PgZonesStore } from './pg-zones-store';
import { PgDeviceLoginsStore } from './pg-device-logins-store';
import { PgUsersStore } from './pg-users-store';
import { PgTokensStore } from './pg-tokens-store';
import { PgDeviceReportsStore, PgSiteReportsStore } from './pg-site-reports-store';
import { PgDocUpdatesStore } from './pg-doc-updates-store';
import { PgDeviceAvailabilityStore } from './pg-device-availability-store';
import { PgTelemetryMinutesStore } from './pg-telemetry-minutes-store';
import { PgEventsStore } from './pg-events-store';
import { PgAuditStore } from './pg-audit-store';
import { PgMembersStore } from './pg-members-store';
import { PgCommandsStore } from './pg-commands-store';
import { PgFirmwareRolloutsStore } from './pg-firmware-rollouts-store';
import { PgReportsStore } from './pg-reports-store';
import { PgJobLeases } from './pg-job-leases';
import { PgNotificationSetupStore } from './pg-notification-setup-store';
import { PgSilencesStore } from './pg-silences-store';
import { PgNotificationOutboxStore } from './pg-notification-outbox-store';
import { runPostgresRetention } from './pg-retention';
import { PgBookingsStore } from './pg-bookings-store';
import { PgBookingResourcesStore } from './pg-booking-resources-store';
import { PgBookingSeriesStore } from './pg-booking-series-store';
import { PgBookingUsageStore } from './pg-booking-usage-store';
import { PgPoliciesStore } from './pg-policies-store';
import { PgPolicyRolloutsStore } from './pg-policy-rollouts-store';

const DAY_MS = 86_400_000;
const PARTITION_DAYS_AHEAD = 9;
const PARTITION_CHECK_MS = 3_600_000;

/**
 * Every store in one PostgreSQL database shared by all instances (CONTRACT §10). The secrets
 * (master key, audit-chain key) stay files under `dataDir`, the same on every instance.
 */
export async function openPostgresStores(url: string, dataDir: string, log?: CloudLog): Promise<CloudStores> {
  let pg: PgDb;
  try {
    pg = await openPostgres(url);
  } catch (err) {
    // The URL may hold a password: only where it points is shown.
    throw new StoreUnreachable(`the store at ${whereOf(url)} does not answer (${(err as Error).message})`);
  }
  const events = new PgEventsStore(pg);
  // Daily event partitions exist a week ahead, kept so by whichever instance looks first each hour.
  const partitions = () =>
    events
      .ensurePartitions(Date.now() - DAY_MS, PARTITION_DAYS_AHEAD)
      .catch((err: Error) => log?.error(`store: event partitions not created: ${err.message}`));
  await partitions();
  const timer = setInterval(() => void partitions(), PARTITION_CHECK_MS);
  timer.unref();
  const audit = new PgAuditStore(pg, loadOrCreateSecret(dataDir, 'audit-chain'));
  const tokens = new PgTokensStore(pg);
  const commands = new PgCommandsStore(pg);
  const reports = new PgReportsStore(pg);
  return {
    backend: 'postgres',
    tenants: new PgTenantsStore(pg),
    zones: new PgZonesStore(pg),
    users: new PgUsersStore(pg),
    tokens,
    members: new PgMembersStore(pg, loadMasterKey(dataDir)),
    events,
    commands,
    firmwareRollouts: new PgFirmwareRolloutsStore(pg),
    audit,
    reports,
    siteReports: new PgSiteReportsStore(pg),
    deviceReports: new PgDeviceReportsStore(pg),
    deviceAvailability: new PgDeviceAvailabilityStore(pg),
    telemetryMinutes: new PgTelemetryMinutesStore(pg),
    deviceLogins: new PgDeviceLoginsStore(pg),
    notificationSetup: new PgNotificationSetupStore(pg),
    silences: new PgSilencesStore(pg),
    notificationOutbox: new PgNotificationOutboxStore(pg),
    bookingResources: new PgBookingResourcesStore(pg),
    bookings: new PgBookingsStore(pg),
    bookingSeries: new PgBookingSeriesStore(pg),
    bookingUsage: new PgBookingUsageStore(pg),
    policies: new PgPoliciesStore(pg),
    policyRollouts: new PgPolicyRolloutsStore(pg),
    docUpdates: new PgDocUpdatesStore(pg),
    commits: new DirectCommits(),
    write: directWrite(events, audit),
    leases: new PgJobLeases(pg),
    retain: (cutoff, signal) => runPostgresRetention({ events, commands, tokens, reports, audit }, cutoff, signal),
    ping: async () => void (await pg.pool.query('SELECT 1')),
    async close() {
      clearInterval(timer);
      await pg.close();
    },
  };
}
