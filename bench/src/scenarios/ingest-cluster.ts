import { FLEET_SITES, seedFleet } from '../harness/fleet';
import { INSTANCE_COUNTS, missingClusterService, startDeployment } from '../harness/cluster';
import { searchIngestCapacity, type IngestStep } from '../harness/ingest-steps';
import { info, type Figure } from '../scenario';
import { round } from '../stats';
import { describeSteps, type SearchResult } from '../step-search';

/** Per-site rates of the multi-instance searches: fewer steps than one SQLite cloud, each a fresh generator. */
const CLUSTER_STEPS_PER_SITE = [10, 50, 100, 200];

interface Count {
  instances: number;
  search: SearchResult<IngestStep>;
}

/** A capacity search against one deployment of `n` instances (fresh database and stream). */
async function searchAt(n: number): Promise<Count> {
  const d = await startDeployment(n, 'ingest-cluster', (dir, store) => seedFleet(dir, store));
  try {
    return { instances: n, search: await searchIngestCapacity(d.url, d.seeded.file, d.clouds.map((c) => c.pid), CLUSTER_STEPS_PER_SITE) };
  } finally {
    await d.stop();
  }
}

/** The same capacity search at 1, 2 and 3 instances on PostgreSQL, Redis and JetStream, with ratios to one instance. */
export async function ingestAcrossInstances(): Promise<{ ran: string; figures: Figure[]; steps: Count[] }> {
  const missing = await missingClusterService();
  if (missing) return { ran: `multi-instance steps not run: ${missing}`, figures: [], steps: [] };
  const counts: Count[] = [];
  for (const n of INSTANCE_COUNTS) counts.push(await searchAt(n));
  const base = counts[0]!.search.capacity ?? 0;
  const figures = counts.flatMap(({ instances, search }) => {
    const last = search.steps.filter((s) => s.pass).at(-1);
    const broke = search.brokeAt;
    return [
      info(`${instances} instance(s) on PostgreSQL + JetStream: ingest capacity`, search.capacity ?? 0, 'events/s', {
        ...(base > 0 ? { ratio: round((search.capacity ?? 0) / base), ratioOf: `${instances}/1 instance` } : {}),
        note: broke ? `next step ${Math.round(broke.offered)}/s broke: ${broke.why}` : `every step passed: a lower bound`,
      }),
      ...(last
        ? [
            info(`${instances} instance(s): cloud CPU per 1,000 events at capacity`, round(((last.cloudCpuPercent / 100) * 1000 * 1000) / Math.max(1, last.handled)), 'ms', {
              note: `all instances, not PostgreSQL, Redis or NATS; generator ${Math.round(last.generatorCpuPercent)} % of one core`,
            }),
          ]
        : []),
    ];
  });
  return {
    ran: `then the same search at 1, 2 and 3 instances on one PostgreSQL database, Redis and a JetStream stream (fresh for each count), behind a TCP balancer, steps of ${CLUSTER_STEPS_PER_SITE.join(', ')} events/s per site × ${FLEET_SITES} sites: ${counts.map((c) => `${c.instances} instance(s): ${describeSteps(c.search.steps, 'events/s')}`).join(' | ')}; 2 cores shared by the instances, the databases and the load generator`,
    figures,
    steps: counts,
  };
}
