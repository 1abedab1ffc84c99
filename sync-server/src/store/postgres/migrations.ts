import { ADMIN_MIGRATIONS } from './migrations-admin';
import { AUTH_MIGRATIONS } from './migrations-auth';
import { DOC_MIGRATIONS } from './migrations-docs';
import { EVENT_MIGRATIONS } from './migrations-events';
import { LOG_MIGRATIONS } from './migrations-log';
import { CLUSTER_MIGRATIONS } from './migrations-cluster';
import { NOTIFICATION_MIGRATIONS } from './migrations-notifications';
import { FIRMWARE_MIGRATIONS } from './migrations-firmware';
import { DEVICE_MIGRATIONS } from './migrations-devices';
import { BOOKING_MIGRATIONS } from './migrations-bookings';
import { POLICY_MIGRATIONS } from './migrations-policies';
import { TELEMETRY_MIGRATIONS } from './migrations-telemetry';

/**
 * The PostgreSQL schema, applied in order, each once (table `schema_migrations`). New steps are
 * appended at the end of this list only; a step once released never changes.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  ...ADMIN_MIGRATIONS,
  ...DOC_MIGRATIONS,
  ...AUTH_MIGRATIONS,
  ...LOG_MIGRATIONS,
  ...EVENT_MIGRATIONS,
  ...CLUSTER_MIGRATIONS,
  ...NOTIFICATION_MIGRATIONS,
  ...FIRMWARE_MIGRATIONS,
  ...DEVICE_MIGRATIONS,
  ...BOOKING_MIGRATIONS,
  ...POLICY_MIGRATIONS,
  ...TELEMETRY_MIGRATIONS,
];
