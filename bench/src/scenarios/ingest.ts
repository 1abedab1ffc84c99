import { FLEET_SITES, startFleet, startFleetCloud } from '../harness/fleet';
import { ProcessWatch } from '../harness/proc';
import { atLeast, info, type Scenario } from '../scenario';
import { round } from '../stats';

const RATE = 100;
const SECONDS = 30;
const WARMUP = 5;

export const ingest: Scenario = {
  name: 'ingest',
  title: '200 simulated sites uploading 100 events/s each into one cloud',
  async run() {
    const { cloud, tokensFile } = await startFleetCloud('ingest');
    try {
      const fleet = await startFleet(cloud.url, tokensFile, { rate: RATE, seconds: SECONDS, warmup: WARMUP, idle: 0 });
      const watch = new ProcessWatch(cloud.pid);
      const r = await fleet.result;
      const usage = watch.stop();
      return {
        ran: `cloud process with ${FLEET_SITES} sites; load generator in its own process: ${r.sites} edge links (edge link protocol, hello → events batches ≤ 500, one in flight per site as the real uploader) offering ${RATE} events/s per site = ${r.offeredPerSec} events/s for ${WARMUP} s warm-up + ${SECONDS} s measured`,
        figures: [
          atLeast('events stored', Math.round(r.storedPerSec), 'events/s', 20_000, { note: `offered ${r.offeredPerSec}/s; backlog at end ${r.backlogAtEnd}` }),
          info('batch ack latency p50', round(r.ackLatency.p50), 'ms'),
          info('batch ack latency p99', round(r.ackLatency.p99), 'ms'),
          info('cloud RSS (peak)', Math.round(usage.peakRssMiB), 'MiB'),
          info('cloud CPU', Math.round(usage.cpuPercent), '% of one core'),
        ],
        details: { fleet: r, cloud: usage },
      };
    } finally {
      await cloud.stop();
    }
  },
};
