import { FLEET_SITES, startFleetCloud } from '../harness/fleet';
import { INGEST_BOUND, searchIngestCapacity, STEP_SECONDS, STEP_WARMUP_S, type IngestStep } from '../harness/ingest-steps';
import { atLeast, info, type Scenario } from '../scenario';
import { round } from '../stats';
import { describeSteps } from '../step-search';
import { ingestAcrossInstances } from './ingest-cluster';

/** The design's peak: 100 events/s from each of 200 sites. */
const PEAK = 100 * FLEET_SITES;

export const ingest: Scenario = {
  name: 'ingest',
  title: `capacity of one cloud on SQLite for events from ${FLEET_SITES} sites by step search (stored within 1 s p99, ≥ 98 % of the offered rate), then the same upload into 1, 2 and 3 instances on PostgreSQL, Redis and JetStream`,
  limitMs: 600_000,
  async run() {
    const { cloud, tokensFile } = await startFleetCloud('ingest');
    let search;
    try {
      search = await searchIngestCapacity(cloud.url, tokensFile, [cloud.pid]);
    } finally {
      await cloud.stop();
    }
    const cluster = await ingestAcrossInstances();
    const last = search.steps.filter((s) => s.pass).at(-1);
    const broke = search.brokeAt;
    const genNote = (s: IngestStep) =>
      `; the generator produced ${Math.round(s.fleet.generatedPerSec)}/s at ${Math.round(s.generatorCpuPercent)} % of one core${s.generatorCpuPercent >= 90 ? ' (near a full core: the limit may be its own)' : ''}`;
    return {
      ran: `cloud process on SQLite (the default) with ${FLEET_SITES} sites; per step a fresh load generator process with ${FLEET_SITES} edge links (edge link protocol, batches ≤ 1000, 4 in flight, as the edge's uploader) offering access events open loop, ${STEP_WARMUP_S} s warm-up + ${STEP_SECONDS} s measured; a step passes when events are stored within ${INGEST_BOUND.p99Ms} ms of happening at p99 and stored/offered ≥ ${INGEST_BOUND.minHandledShare}; steps: ${describeSteps(search.steps, 'events/s')}; ${cluster.ran}`,
      figures: [
        atLeast('ingest capacity (stored within 1 s p99, ≥ 98 % stored)', search.capacity ?? 0, 'events/s', PEAK, {
          note: broke ? `next step ${Math.round(broke.offered)}/s broke: ${broke.why}${genNote(broke)}` : `every step passed up to ${Math.round(search.steps.at(-1)!.offered)}/s: a lower bound`,
        }),
        ...(last
          ? [
              info('event → stored p99 at capacity', round(last.p99Ms), 'ms', { note: `p50 ${round(last.fleet.storedLatency.p50)} ms; batch ack p99 ${round(last.fleet.ackLatency.p99)} ms` }),
              info('cloud CPU at capacity', Math.round(last.cloudCpuPercent), '% of one core'),
              info('cloud RSS at capacity (peak)', Math.round(last.cloudPeakRssMiB), 'MiB'),
              info('load generator CPU at capacity', Math.round(last.generatorCpuPercent), '% of one core', { note: `own process${genNote(last)}` }),
            ]
          : []),
        ...cluster.figures,
      ],
      details: { steps: search.steps, capacity: search.capacity, instances: cluster.steps },
    };
  },
};
