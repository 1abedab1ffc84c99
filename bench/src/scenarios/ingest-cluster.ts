import { FLEET_SITES, seedFleet, startFleet } from '../harness/fleet';
import { INSTANCE_COUNTS, missingClusterService, startDeployment } from '../harness/cluster';
import { ProcessWatch } from '../harness/proc';
import { info, type Figure } from '../scenario';
import { describeSpread, round, spreadOf, type Spread } from '../stats';

const RATE = 100;
const SECONDS = 15;
const WARMUP = 5;
const RUNS = 3;

interface Step {
  instances: number;
  storedPerSec: Spread;
  ackP99: Spread;
  cpuMsPer1000: Spread;
}

/** `RUNS` fleet runs against one deployment of `n` instances (fresh database and stream). */
async function stepAt(n: number): Promise<Step> {
  const d = await startDeployment(n, 'ingest-cluster', (dir, store) => seedFleet(dir, store));
  try {
    const stored: number[] = [];
    const p99: number[] = [];
    const cpuPer1000: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const fleet = await startFleet(d.url, d.seeded.file, { rate: RATE, seconds: SECONDS, warmup: WARMUP, idle: 0 });
      const watches = d.clouds.map((c) => new ProcessWatch(c.pid));
      const r = await fleet.result;
      const cpu = watches.map((w) => w.stop().cpuPercent).reduce((a, b) => a + b, 0);
      stored.push(r.storedPerSec);
      p99.push(r.ackLatency.p99);
      cpuPer1000.push(((cpu / 100) * 1000 * 1000) / Math.max(1, r.storedPerSec));
    }
    return { instances: n, storedPerSec: spreadOf(stored), ackP99: spreadOf(p99), cpuMsPer1000: spreadOf(cpuPer1000) };
  } finally {
    await d.stop();
  }
}

/** The same upload at 1, 2 and 3 instances on PostgreSQL, Redis and JetStream, with ratios to one instance. */
export async function ingestAcrossInstances(): Promise<{ ran: string; figures: Figure[]; steps: Step[] }> {
  const missing = await missingClusterService();
  if (missing) {
    return { ran: `multi-instance steps not run: ${missing}`, figures: [], steps: [] };
  }
  const steps: Step[] = [];
  for (const n of INSTANCE_COUNTS) steps.push(await stepAt(n));
  const base = steps[0]!.storedPerSec.median;
  const figures = steps.flatMap((s) => [
    info(
      `${s.instances} instance(s) on PostgreSQL + JetStream: events acknowledged`,
      Math.round(s.storedPerSec.median),
      'events/s',
      {
        ratio: round(s.storedPerSec.median / Math.max(1, base)),
        ratioOf: `${s.instances}/1 instance`,
        note: `${describeSpread(s.storedPerSec)}; ack p99 ${round(s.ackP99.median)} ms (${round(s.ackP99.min)}–${round(s.ackP99.max)})`,
      },
    ),
    info(`${s.instances} instance(s): cloud CPU per 1,000 events`, round(s.cpuMsPer1000.median), 'ms', {
      note: `${describeSpread(s.cpuMsPer1000, 'ms')}; all instances, not PostgreSQL, Redis or NATS`,
    }),
  ]);
  return {
    ran: `then 1, 2 and 3 instances on one PostgreSQL database, Redis and a JetStream stream (fresh for each count), behind a TCP balancer; ${RUNS} runs per count of ${WARMUP} s warm-up + ${SECONDS} s measured at ${RATE} events/s per site offered by ${FLEET_SITES} edge links; 2 cores shared by the instances, the databases and the load generator`,
    figures,
    steps,
  };
}
