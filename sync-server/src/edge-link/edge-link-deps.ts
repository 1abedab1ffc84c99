import type { AuthService } from '../domain/auth-service';
import type { CommandService } from '../domain/command-service';
import type { EventIngest } from '../domain/event-ingest';
import type { SiteStatusService } from '../domain/site-status';
import type { TenantsStore } from '../store/tenants-store';
import type { CloudMetrics } from '../metrics';
import type { LinkHub } from './link-hub';

/** What an edge link session needs from the cloud. */
export interface EdgeLinkDeps {
  auth: AuthService;
  hub: LinkHub;
  status: SiteStatusService;
  ingest: EventIngest;
  commands: CommandService;
  tenants: TenantsStore;
  metrics: CloudMetrics;
  publicJwk: JsonWebKey;
}
