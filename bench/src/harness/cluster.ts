import { randomBytes } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createTestDatabase, TEST_PG_URL } from '@cr/sync-server/src/store/postgres/test-database';
import { startTcpBalancer } from '@cr/sync-server/src/testing/tcp-balancer';
import { eventStreamOf } from '@cr/sync-server/src/cluster/shared-services';
import { startCloud, type CloudProcess } from './services';
import { tempDir } from './temp';

export const CLUSTER_REDIS = process.env.CR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const CLUSTER_NATS = process.env.CR_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** The instance counts every multi-instance step runs at. */
export const INSTANCE_COUNTS = [1, 2, 3] as const;

/** A deployment of several cloud instances on one PostgreSQL database, Redis and a JetStream stream, behind a TCP balancer. */
export interface Deployment {
  /** the balancer's address: connections go round-robin to the instances */
  url: string;
  clouds: CloudProcess[];
  stop(): Promise<void>;
}

/** Which of PostgreSQL, Redis and NATS does not answer (multi-instance steps need all three), or undefined. */
export async function missingClusterService(): Promise<string | undefined> {
  for (const [name, url, port] of [
    ['PostgreSQL', TEST_PG_URL, 5432],
    ['Redis', CLUSTER_REDIS, 6379],
    ['NATS', CLUSTER_NATS, 4222],
  ] as const) {
    const u = new URL(url);
    if (!(await answers(u.hostname || '127.0.0.1', Number(u.port) || port)))
      return `${name} does not answer at ${u.host || `127.0.0.1:${port}`}`;
  }
  return undefined;
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect(port, host);
    s.setTimeout(2_000, () => (s.destroy(), resolve(false)));
    s.once('connect', () => (s.end(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/**
 * Starts `instances` cloud processes on a fresh database and stream. `seed` prepares the data
 * directory and store before the first instance starts (the instances share both, as in production).
 */
export async function startDeployment<T>(
  instances: number,
  label: string,
  seed: (dir: string, store: string) => Promise<T>,
): Promise<Deployment & { seeded: T }> {
  const db = await createTestDatabase('cr_bench');
  const cluster = `bench${randomBytes(3).toString('hex')}`;
  const clouds: CloudProcess[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(clouds.map((c) => c.stop()));
    await db.drop();
    await dropStream(eventStreamOf(cluster).stream);
  };
  try {
    const dir = join(tempDir(`${label}-${instances}`), 'cloud');
    const seeded = await seed(dir, db.url);
    const flags = ['--store', db.url, '--bus', CLUSTER_REDIS, '--stream', CLUSTER_NATS, '--cluster', cluster];
    for (let i = 0; i < instances; i++) clouds.push(await startCloud(dir, flags));
    const lb = await startTcpBalancer(clouds.map((c) => c.url));
    return {
      url: lb.url,
      clouds,
      seeded,
      stop: async () => {
        await lb.close();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function dropStream(name: string): Promise<void> {
  const nc = await connect({ servers: CLUSTER_NATS });
  try {
    await (await jetstreamManager(nc)).streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}
