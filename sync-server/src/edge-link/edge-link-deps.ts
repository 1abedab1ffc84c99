import type { AuthService } from '../domain/auth-service';
import type { CommandService } from '../domain/command-service';
import type { FirmwareRollouts } from '../domain/firmware/firmware-rollouts';
import type { EventIngest } from '../domain/event-ingest';
import type { SiteStatusService } from '../domain/site-status';
import type { SigningKeys } from '../domain/signing-keys';
import type { DocRegistry } from '../sync/doc-registry';
import type { CloudMetrics } from '../metrics';
import type { LinkHub } from './link-hub';
import type { SiteDevices } from '../domain/site-devices';
import type { CloudLog } from '../log';
import type { TenantsPort } from '../store/ports';
import type { SiteAdmin } from '../domain/site-admin';
import type { DeviceLogins } from '../domain/device-logins';
import type { Bookings } from '../domain/booking/bookings';
import type { PolicyService } from '../domain/policy/policy-service';

/** What an edge link session needs from the cloud. */
export interface EdgeLinkDeps {
  auth: AuthService;
  hub: LinkHub;
  status: SiteStatusService;
  /** where the devices each edge reports are kept */
  devices: Pick<SiteDevices, 'report'>;
  ingest: EventIngest;
  commands: CommandService;
  /** firmware rollouts: the edge reports each device's progress */
  firmware: Pick<FirmwareRollouts, 'progress'>;
  tenants: TenantsPort;
  /** the zones the edge places devices by (sent in its welcome) */
  siteAdmin: Pick<SiteAdmin, 'zoneFacts'>;
  /** the per-device MQTT logins in force at the site (sent after the welcome) */
  deviceLogins: Pick<DeviceLogins, 'snapshot'>;
  /** the site's bookings running now or within the horizon (sent after the welcome) */
  bookings: { feed: Pick<Bookings['feed'], 'snapshot'> };
  /** the site's assigned policy version (sent after the welcome) and the edge's reports of it */
  policies: Pick<PolicyService, 'onEdgeConnected' | 'onReport'>;
  metrics: CloudMetrics;
  /** site documents: the mode a gateway last wrote, when the cloud has no live record (after a restart) */
  docs: DocRegistry;
  publicJwk: JsonWebKey;
  /** the proof of the last key rotation, sent in `welcome` */
  keys: Pick<SigningKeys, 'rotation'>;
  log: CloudLog;
}
