import { randomUUID } from 'node:crypto';
import type { RemoteCommand } from '@cr/shared';
import type { RunningEdge } from '../../src/edge';
import { FakeCloud } from './fake-cloud';
import { TestDevices } from './device';
import { startTestEdge, tempDir, uniqueSite } from './test-edge';
import { testMembers } from './scenario';
import { waitFor } from './wait';

/** A fake cloud the test set up first (skew, record, keys …), an edge linked to it, and devices. */
export interface LinkSite {
  siteId: string;
  dataDir: string;
  cloud: FakeCloud;
  edge: RunningEdge;
  devices: TestDevices;
  /** stops the edge and starts it again on the same data dir (with `token` on its command line) */
  restart(token?: string): Promise<void>;
  close(): Promise<void>;
}

export interface LinkSiteOptions {
  cloud?: FakeCloud;
  siteId?: string;
  /** the edge token on the command line (default: a fresh one from the cloud) */
  token?: string;
  flags?: string[];
  /** wait until the edge is linked with permissions (default true) */
  linked?: boolean;
}

/** Short timeouts: reconnects within half a second, a heartbeat (and a clock reading) every 50 ms. */
const FAST = ['--reconnect-min-ms', '50', '--reconnect-max-ms', '500', '--heartbeat-ms', '50'];

export async function startLinkSite(opts: LinkSiteOptions = {}): Promise<LinkSite> {
  const siteId = opts.siteId ?? uniqueSite('link');
  const dataDir = tempDir();
  const cloud = opts.cloud ?? (await FakeCloud.start());
  if (!opts.cloud) cloud.members = testMembers();
  const boot = async (token: string) => startTestEdge({ site: siteId, dataDir, flags: ['--cloud', cloud.url, '--token', token, ...FAST, ...(opts.flags ?? [])] });
  const site: LinkSite = {
    siteId,
    dataDir,
    cloud,
    edge: await boot(opts.token ?? (await cloud.edgeToken(siteId))),
    devices: undefined as unknown as TestDevices,
    async restart(token) {
      await site.devices.close();
      await site.edge.stop();
      site.edge = await boot(token ?? (await cloud.edgeToken(siteId)));
      site.devices = await TestDevices.connect(site.edge.mqttUrl, siteId);
    },
    async close() {
      await site.devices.close();
      await site.edge.stop();
      await cloud.close();
    },
  };
  site.devices = await TestDevices.connect(site.edge.mqttUrl, siteId);
  if (opts.linked !== false) await waitFor(() => site.edge.ctx.permissions.size > 0 && site.edge.uplink?.connected, 'edge linked with permissions');
  return site;
}

/** A command as the cloud issues it: times in the cloud's clock, with a time to live. */
export function cloudCommand(cloud: FakeCloud, siteId: string, target: RemoteCommand['target'], ttlMs: number): RemoteCommand {
  const issuedAt = cloud.now();
  return { id: randomUUID(), siteId, target, reason: 'test', issuedBy: 'hq@test', issuerRole: 'hq-operator', issuedAt, expiresAt: issuedAt + ttlMs, ttlMs };
}
