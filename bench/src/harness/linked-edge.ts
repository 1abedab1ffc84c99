import { DEMO_SITES } from '@cr/shared';
import { demoEdgeToken } from '@cr/demo/cloud-client';
import { startCloud, startEdge, type CloudProcess, type EdgeProcess } from './services';
import { tempDir } from './temp';
import { waitFor } from './wait';
import { announce, connectDevice } from './mqtt';

export interface LinkedEdge {
  cloud: CloudProcess;
  edge: EdgeProcess;
  stop(): Promise<void>;
}

interface EdgeHealth {
  cloud: string;
  permissionsSyncedAt: number | null;
  devices: number;
  outboxDepth: number;
}

export async function edgeHealth(edge: EdgeProcess): Promise<EdgeHealth> {
  return (await (await fetch(`${edge.httpUrl}/health`)).json()) as EdgeHealth;
}

/**
 * A demo cloud and the edge of one demo site linked to it, with the site's doors and readers
 * announced on the edge's broker and the permission cache synced: ready for badges.
 */
export async function startLinkedEdge(siteId: string, label: string, edgeArgs: string[] = []): Promise<LinkedEdge> {
  const dir = tempDir(label);
  const cloud = await startCloud(`${dir}/cloud`);
  let edge: EdgeProcess | undefined;
  try {
    edge = await startEdge(siteId, `${dir}/edge`, { cloudUrl: cloud.url, token: await demoEdgeToken(cloud.url, siteId) }, edgeArgs);
    const site = DEMO_SITES.find((s) => s.id === siteId)!;
    const devices = site.devices.map(({ id, kind, name, zoneId, doorId }) => ({ id, kind, name, zoneId, ...(doorId ? { doorId } : {}) }));
    const boot = await connectDevice(edge.mqttUrl, `${label}-boot`);
    await announce(boot, siteId, devices);
    boot.end();
    const e = edge;
    await waitFor('edge linked, permissions synced and devices registered', async () => {
      const h = await edgeHealth(e);
      return h.cloud === 'connected' && h.permissionsSyncedAt !== null && h.devices >= devices.length;
    }, 30_000, 100);
  } catch (err) {
    await edge?.stop();
    await cloud.stop();
    throw err;
  }
  const running = edge;
  return {
    cloud,
    edge: running,
    stop: async () => {
      await running.stop();
      await cloud.stop();
    },
  };
}
