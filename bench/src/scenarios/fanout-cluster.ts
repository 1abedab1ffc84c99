import { cpus } from 'node:os';
import { INSTANCE_COUNTS, missingClusterService, startDeployment } from '../harness/cluster';
import { FANOUT, fanoutWorkload, seedConsoles } from '../harness/fanout-workload';
import { info, type Figure } from '../scenario';
import { describeSpread, round, spreadOf, type Spread } from '../stats';

const RUNS = 3;

interface Step {
  instances: number;
  perClientP99: Spread;
  toEveryClientP99: Spread;
  editsPerSec: Spread;
  cpuMsPerEdit: Spread;
  /** the busiest client process of each run, % of a core */
  clientCpuBusiest: Spread;
  lost: number;
}

/** `RUNS` runs of the console workload on one deployment of `n` instances; clients spread over them by the balancer. */
async function stepAt(n: number): Promise<Step> {
  const d = await startDeployment(n, 'fanout-cluster', seedConsoles);
  try {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(
        await fanoutWorkload(
          d.clouds.map((c) => c.pid),
          d.url,
          'site:demo:gangnam',
          d.seeded,
        ),
      );
    }
    return {
      instances: n,
      perClientP99: spreadOf(runs.map((r) => r.steady.perClient.p99)),
      toEveryClientP99: spreadOf(runs.map((r) => r.steady.toEveryClient.p99)),
      editsPerSec: spreadOf(runs.map((r) => r.saturation.editsPerSec)),
      cpuMsPerEdit: spreadOf(runs.map((r) => r.serverCpuMsPerEdit)),
      clientCpuBusiest: spreadOf(runs.map((r) => Math.max(...r.clientCpuPercent))),
      lost: runs.reduce((s, r) => s + r.steady.lost, 0),
    };
  } finally {
    await d.stop();
  }
}

/** The console workload at 1, 2 and 3 instances: every edit crosses Redis to the clients of the other instances. */
export async function fanoutAcrossInstances(): Promise<{ ran: string; figures: Figure[]; steps: Step[] }> {
  const missing = await missingClusterService();
  if (missing) return { ran: `multi-instance steps not run: ${missing}`, figures: [], steps: [] };
  const steps: Step[] = [];
  for (const n of INSTANCE_COUNTS) steps.push(await stepAt(n));
  const base = steps[0]!.editsPerSec.median;
  const figures = steps.flatMap((s) => [
    info(`${s.instances} instance(s): update → client p99`, round(s.perClientP99.median), 'ms', {
      note: `${describeSpread(s.perClientP99, 'ms')}; to all ${FANOUT.clients} clients p99 ${round(s.toEveryClientP99.median)} ms; ${s.lost} edits not seen by every client`,
    }),
    info(
      `${s.instances} instance(s): throughput at saturation`,
      Math.round(s.editsPerSec.median),
      'edits/s to all clients',
      {
        ratio: round(s.editsPerSec.median / Math.max(1, base)),
        ratioOf: `${s.instances}/1 instance`,
        note: describeSpread(s.editsPerSec),
      },
    ),
    info(`${s.instances} instance(s): cloud CPU per edit at saturation`, round(s.cpuMsPerEdit.median), 'ms', {
      note: `${describeSpread(s.cpuMsPerEdit, 'ms')}; all instances, not PostgreSQL or Redis; busiest client process ${Math.round(s.clientCpuBusiest.median)} % of a core`,
    }),
  ]);
  return {
    ran: `then 1, 2 and 3 instances on one PostgreSQL database and Redis (fresh for each count) behind a TCP balancer that spreads the ${FANOUT.clients + 1} connections (${FANOUT.processes} client processes and the writer) round-robin, so most edits cross Redis; ${RUNS} runs per count; ${cpus().length} cores shared by the instances, the databases and the clients`,
    figures,
    steps,
  };
}
