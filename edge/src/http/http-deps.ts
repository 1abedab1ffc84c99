import type { Registry } from 'prom-client';
import type { EdgeBooking, Principal, RemoteCommand } from '@cr/shared';
import type { CommandBook } from '../commands/command-book';
import type { TokenVerifier } from './token-verifier';
import type { HealthView, SiteView } from './lan-schemas';
import type { DevicesApi } from '../gateway/device-admin';

/** What the local HTTP API needs from the running edge (wired by `startEdge`). */
export interface HttpDeps {
  siteId: string;
  tenantId: string;
  registry: Registry;
  verifier: TokenVerifier;
  health(): HealthView;
  siteView(): SiteView;
  runCommand(cmd: RemoteCommand, principal: Principal): void;
  book: CommandBook;
  /** `--test-controls`: exposes `POST /api/v1/link` (drop and restore the cloud link) */
  testControls: boolean;
  setLink(up: boolean): void;
  /** device admission (CONTRACT.md §6) */
  devices: DevicesApi;
  /** the bookings the edge holds, in their state now (CONTRACT.md §8) */
  bookings(): EdgeBooking[];
}
