import { FLEET_SITES, startFleet, startFleetCloud } from '../harness/fleet';
import { ProcessWatch } from '../harness/proc';
import { atLeast, info, type Scenario } from '../scenario';
import { round } from '../stats';
import { ingestAcrossInstances } from './ingest-cluster';

const RATE = 100;
const SECONDS = 30;
const WARMUP = 5;

export const ingest: Scenario = {
  name: 'ingest',
  title: `${FLEET_SITES} simulated sites uploading 100 events/s each into one cloud on SQLite, then into 1, 2 and 3 instances on PostgreSQL, Redis and JetStream`,
  limitMs: 600_000,
  async run() {
    const { cloud, tokensFile } = await startFleetCloud('ingest');
    let single;
    try {
      const fleet = await startFleet(cloud.url, tokensFile, { rate: RATE, seconds: SECONDS, warmup: WARMUP, idle: 0 });
      const watch = new ProcessWatch(cloud.pid);
      const r = await fleet.result;
      single = { fleet: r, cloud: watch.stop() };
    } finally {
      await cloud.stop();
    }
    const { fleet: r, cloud: usage } = single;
    const cluster = await ingestAcrossInstances();
    return {
      ran: `cloud process on SQLite (the default) with ${FLEET_SITES} sites; load generator in its own process: ${r.sites} edge links (edge link protocol, hello → events batches ≤ 500, one in flight per site as the real uploader) offering ${RATE} events/s per site = ${r.offeredPerSec} events/s for ${WARMUP} s warm-up + ${SECONDS} s measured; ${cluster.ran}`,
      figures: [
        atLeast('events stored', Math.round(r.storedPerSec), 'events/s', 20_000, { note: `offered ${r.offeredPerSec}/s; backlog at end ${r.backlogAtEnd}` }),
        info('batch ack latency p50', round(r.ackLatency.p50), 'ms'),
        info('batch ack latency p99', round(r.ackLatency.p99), 'ms'),
        info('cloud RSS (peak)', Math.round(usage.peakRssMiB), 'MiB'),
        info('cloud CPU', Math.round(usage.cpuPercent), '% of one core'),
        ...cluster.figures,
      ],
      details: { fleet: r, cloud: usage, instances: cluster.steps },
    };
  },
};
