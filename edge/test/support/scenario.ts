import { randomUUID } from 'node:crypto';
import type { Member, RemoteCommand, SiteMode } from '@cr/shared';
import type { RunningEdge } from '../../src/edge';
import { FakeCloud } from './fake-cloud';
import { TestDevices } from './device';
import { startTestEdge, uniqueSite, type TestEdgeOptions } from './test-edge';
import { waitFor } from './wait';

export interface Scenario {
  siteId: string;
  cloud: FakeCloud;
  edge: RunningEdge;
  devices: TestDevices;
  close(): Promise<void>;
}

const base = { active: true, secureMode: false, offlineWhitelist: false } as const;
const weekdayInSeoul = (): number => new Date(Date.now() + 9 * 3600_000).getUTCDay();

/** Members covering every decision reason. */
export function testMembers(): Member[] {
  const other = (weekdayInSeoul() + 3) % 7;
  return [
    { ...base, id: 'm-ok', credentials: [{ type: 'card', value: 'card-ok' }], grants: [{ zoneIds: ['lobby', 'office'] }] },
    { ...base, id: 'm-white', offlineWhitelist: true, credentials: [{ type: 'card', value: 'card-white' }], grants: [{ zoneIds: ['lobby'] }] },
    { ...base, id: 'm-night', secureMode: true, credentials: [{ type: 'card', value: 'card-night' }], grants: [{ zoneIds: ['lobby'] }] },
    { ...base, id: 'm-nogrant', credentials: [{ type: 'card', value: 'card-nogrant' }], grants: [{ zoneIds: ['server-room'] }] },
    { ...base, id: 'm-gone', active: false, credentials: [{ type: 'card', value: 'card-gone' }], grants: [{ zoneIds: ['lobby'] }] },
    {
      ...base,
      id: 'm-sched',
      credentials: [{ type: 'card', value: 'card-sched' }],
      grants: [{ zoneIds: ['lobby'], schedule: [{ days: [other], start: '00:00', end: '24:00' }] }],
    },
  ];
}

/** A fake cloud, an edge linked to it, and a device client on the edge's broker. */
export async function startScenario(opts: TestEdgeOptions & { members?: Member[]; cloud?: boolean; deviceAuth?: { username?: string; password?: string } } = {}): Promise<Scenario> {
  const siteId = opts.site ?? uniqueSite();
  const cloud = await FakeCloud.start();
  cloud.members = opts.members ?? testMembers();
  const link = opts.cloud === false ? [] : ['--cloud', cloud.url, '--token', await cloud.edgeToken(siteId)];
  const edge = await startTestEdge({ ...opts, site: siteId, flags: [...link, '--reconnect-min-ms', '50', '--reconnect-max-ms', '500', ...(opts.flags ?? [])] });
  const devices = await TestDevices.connect(edge.mqttUrl, siteId, opts.deviceAuth);
  if (opts.cloud !== false) await waitFor(() => edge.ctx.permissions.size > 0 && edge.uplink?.connected, 'edge linked with permissions');
  return {
    siteId,
    cloud,
    edge,
    devices,
    async close() {
      await devices.close();
      await edge.stop();
      await cloud.close();
    },
  };
}

export function remoteCommand(siteId: string, target: RemoteCommand['target'], over: Partial<RemoteCommand> = {}): RemoteCommand {
  const now = Date.now();
  return { id: randomUUID(), siteId, target, reason: 'test', issuedBy: 'hq@test', issuerRole: 'hq-operator', issuedAt: now, expiresAt: now + 5_000, ...over };
}

/** Sends a mode command from the cloud and waits for its outcome. */
export async function setMode(s: Scenario, mode: SiteMode, over: Partial<RemoteCommand> = {}) {
  const cmd = remoteCommand(s.siteId, { kind: 'mode', mode }, over);
  s.cloud.command(cmd);
  return waitFor(() => s.cloud.outcomes.find((o) => o.commandId === cmd.id), `outcome of mode ${mode}`);
}
