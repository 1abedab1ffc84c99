import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createTestDatabase } from '@cr/sync-server/src/store/postgres/test-database';
import { startTcpBalancer } from '@cr/sync-server/src/testing/tcp-balancer';
import { eventStreamOf } from '@cr/sync-server/src/cluster/shared-services';
import { FLEET_SITES, seedFleet, startFleet } from '../harness/fleet';
import { ProcessWatch } from '../harness/proc';
import { startCloud, type CloudProcess } from '../harness/services';
import { tempDir } from '../harness/temp';
import { info, type Figure, type Scenario } from '../scenario';
import { round } from '../stats';

const RATE = 100;
const SECONDS = 20;
const WARMUP = 5;
const REDIS = process.env.CR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const NATS = process.env.CR_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

interface Step {
  instances: number;
  storedPerSec: number;
  ackP99: number;
  cpuPercent: number;
  cpuMsPer1000: number;
}

/** One deployment of `n` instances on a fresh database and stream, under the fleet's load. */
async function runAt(n: number): Promise<Step> {
  const db = await createTestDatabase('cr_bench');
  const cluster = `bench${randomBytes(3).toString('hex')}`;
  const clouds: CloudProcess[] = [];
  try {
    const dir = join(tempDir(`cluster-${n}`), 'cloud');
    const seeded = await seedFleet(dir, db.url);
    const flags = ['--store', db.url, '--bus', REDIS, '--stream', NATS, '--cluster', cluster];
    for (let i = 0; i < n; i++) clouds.push(await startCloud(dir, flags));
    const lb = await startTcpBalancer(clouds.map((c) => c.url));
    try {
      const fleet = await startFleet(lb.url, seeded.file, { rate: RATE, seconds: SECONDS, warmup: WARMUP, idle: 0 });
      const watches = clouds.map((c) => new ProcessWatch(c.pid));
      const r = await fleet.result;
      const cpu = watches.map((w) => w.stop().cpuPercent).reduce((a, b) => a + b, 0);
      return {
        instances: n,
        storedPerSec: Math.round(r.storedPerSec),
        ackP99: round(r.ackLatency.p99),
        cpuPercent: Math.round(cpu),
        cpuMsPer1000: round(((cpu / 100) * 1000 * 1000) / Math.max(1, r.storedPerSec)),
      };
    } finally {
      await lb.close();
    }
  } finally {
    await Promise.all(clouds.map((c) => c.stop()));
    await db.drop();
    await dropStream(eventStreamOf(cluster).stream);
  }
}

async function dropStream(name: string): Promise<void> {
  const nc = await connect({ servers: NATS });
  try {
    await (await jetstreamManager(nc)).streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}

export const clusterIngest: Scenario = {
  name: 'cluster-ingest',
  title: `${FLEET_SITES} sites uploading into 1, 2 and 3 cloud instances on PostgreSQL, Redis and JetStream`,
  async run() {
    const steps: Step[] = [];
    for (const n of [1, 2, 3]) steps.push(await runAt(n));
    const base = steps[0]!.storedPerSec;
    const figures: Figure[] = steps.flatMap((s) => [
      info(`${s.instances} instance(s): events acknowledged`, s.storedPerSec, 'events/s', {
        note: `${round(s.storedPerSec / Math.max(1, base))}× one instance; ack p99 ${s.ackP99} ms`,
      }),
      info(`${s.instances} instance(s): CPU per 1,000 events`, s.cpuMsPer1000, 'ms', { note: `${s.cpuPercent} % of one core over all instances` }),
    ]);
    return {
      ran: `each step on a fresh PostgreSQL database and JetStream stream, instances behind a TCP balancer, one load generator process (${FLEET_SITES} edge links, ${RATE} events/s per site offered, ${WARMUP} s warm-up + ${SECONDS} s measured); 2 cores shared by everything`,
      figures,
      details: { steps },
    };
  },
};
