import { FLEET_SITES, startFleet, startFleetCloud } from '../harness/fleet';
import { metricValue } from '../harness/mqtt';
import { ProcessWatch } from '../harness/proc';
import { atMost, info, type Scenario } from '../scenario';

const CONSOLES = 100;
const IDLE_S = 15;
const LOAD_S = 20;
const RATE = 100;

export const scale: Scenario = {
  name: 'scale',
  title: 'cloud with 200 site documents loaded and 100 console connections, idle and under ingest',
  async run() {
    const { cloud, tokensFile, hqToken } = await startFleetCloud('scale');
    try {
      const watch: { idle?: ProcessWatch; load?: ProcessWatch } = {};
      let idleUsage: ReturnType<ProcessWatch['stop']> | undefined;
      let loadUsage: ReturnType<ProcessWatch['stop']> | undefined;
      let loaded = { docs: 0, connections: 0 };
      const fleet = await startFleet(cloud.url, tokensFile, { rate: RATE, seconds: LOAD_S, warmup: 0, idle: IDLE_S, docs: { consoles: CONSOLES, hqToken } }, (line) => {
        if (line === 'PHASE load') {
          idleUsage = watch.idle?.stop();
          watch.load = new ProcessWatch(cloud.pid);
        } else if (line === 'PHASE done') loadUsage = watch.load?.stop();
      });
      // Idle starts once every connection is open and synced (the generator printed READY).
      watch.idle = new ProcessWatch(cloud.pid);
      const text = await (await fetch(`${cloud.url}/metrics`)).text();
      loaded = { docs: metricValue(text, 'cloud_sync_docs_loaded'), connections: metricValue(text, 'cloud_sync_connections') };
      const r = await fleet.result;
      if (!idleUsage || !loadUsage) throw new Error('the load generator did not report its phases');
      if (loaded.docs < FLEET_SITES) throw new Error(`only ${loaded.docs} documents were loaded in the cloud`);
      return {
        ran: `cloud with ${FLEET_SITES} bench sites (50 devices each); load generator process holding ${FLEET_SITES} site-document sync connections (edge tokens) + ${CONSOLES} console connections (hq-operator, tenant document) + ${FLEET_SITES} edge links: cloud reported ${loaded.docs} documents loaded and ${loaded.connections} sync connections; ${IDLE_S} s idle, then ${LOAD_S} s at ${RATE} events/s per site plus one site-document write per site per second`,
        figures: [
          atMost('RSS idle', Math.round(idleUsage.rssMiB), 'MiB', 500),
          info('CPU idle', Math.round(idleUsage.cpuPercent * 10) / 10, '% of one core'),
          atMost('RSS under ingest (peak)', Math.round(loadUsage.peakRssMiB), 'MiB', 500),
          info('CPU under ingest', Math.round(loadUsage.cpuPercent), '% of one core', { note: `${Math.round(r.storedPerSec)} events/s stored` }),
        ],
        details: { loaded, idle: idleUsage, load: loadUsage, fleet: r },
      };
    } finally {
      await cloud.stop();
    }
  },
};
