import { FLEET_SITES, startFleetCloud, startFleetConsoles, startSiteFleet, type ReadingsPath } from '../harness/fleet';
import { growthPerSiteHour, sampleDocStore, type DocStoreSample } from '../harness/doc-growth';
import { metricValue } from '../harness/mqtt';
import { ProcessWatch } from '../harness/proc';
import { benchSite, benchSiteId } from '../harness/site-plan';
import { sleep, waitFor } from '../harness/wait';
import { atLeast, atMost, info, type Scenario } from '../scenario';
import { round, summarize } from '../stats';

const CONSOLES = 100;
/** events per second per site: the simulator's mix at the design's peak */
const RATE = 100;
const IDLE_S = 10;
const WARMUP_S = 10;
/** the measured window; document growth is extrapolated from it to an hour */
const WINDOW_S = 60;
const SITE_PREFIX = 'site:demo:';

type Usage = ReturnType<ProcessWatch['stop']>;
const cpu = (u: Usage): number => Math.round(u.cpuPercent);

/** One fleet on a fresh cloud, with its sensor readings on `readings`: what the cloud spent and stored. */
async function measureFleet(readings: ReadingsPath) {
  const { cloud, dataDir, tokensFile, consoleTokensFile } = await startFleetCloud(`scale-${readings}`, { consoles: CONSOLES });
  try {
    // Console i watches site 2i: half the sites have a console open on them, as a busy control room.
    const watched = Array.from({ length: CONSOLES }, (_, i) => benchSiteId((i * 2) % FLEET_SITES));
    const probeDoor = benchSite(watched[0]!, 0).devices.find((d) => d.kind === 'door')!.id;
    const consoles = await startFleetConsoles(cloud.url, consoleTokensFile!, watched, probeDoor, 400);
    let loadStarted = false;
    const fleet = await startSiteFleet(cloud.url, tokensFile, RATE, IDLE_S, 300, (line) => void (line === 'PHASE load' && (loadStarted = true)), readings);
    const idleCloud = new ProcessWatch(cloud.pid);
    const metrics = await (await fetch(`${cloud.url}/metrics`)).text();
    const loaded = { docs: metricValue(metrics, 'cloud_sync_docs_loaded'), connections: metricValue(metrics, 'cloud_sync_connections'), edgeLinks: metricValue(metrics, 'cloud_edge_links') };
    await waitFor('the fleet to start its traffic', () => loadStarted, (IDLE_S + 30) * 1000, 50);
    const idle = idleCloud.stop();
    await sleep(WARMUP_S * 1000);

    const before: DocStoreSample = sampleDocStore(dataDir, SITE_PREFIX);
    const watches = { cloud: new ProcessWatch(cloud.pid), fleet: new ProcessWatch(fleet.pid), consoles: new ProcessWatch(consoles.pid) };
    const windowFrom = Date.now();
    await sleep(WINDOW_S * 1000);
    const windowTo = Date.now();
    const usage = { cloud: watches.cloud.stop(), fleet: watches.fleet.stop(), consoles: watches.consoles.stop() };
    const after = sampleDocStore(dataDir, SITE_PREFIX);
    const [load, seen] = await Promise.all([fleet.finish(), consoles.finish()]);
    if (loaded.docs < FLEET_SITES) throw new Error(`only ${loaded.docs} documents were loaded in the cloud`);
    const growth = growthPerSiteHour(before, after, FLEET_SITES);
    const latency = summarize(seen.samples.filter(([at]) => at >= windowFrom && at <= windowTo).map(([, ms]) => ms));
    if (latency.count === 0) throw new Error('no console saw a change of the probe door in the window');
    return { readings, loaded, idle, usage, before, after, growth, load, latency, window: { from: windowFrom, to: windowTo } };
  } finally {
    await cloud.stop();
  }
}

export const scale: Scenario = {
  name: 'scale',
  title: `cloud with ${FLEET_SITES} sites of 50 devices each in the simulator's traffic mix, their documents written by the edge's own code, and ${CONSOLES} console connections; readings as live telemetry, then (before the change) into the document`,
  limitMs: 840_000,
  async run() {
    const now = await measureFleet('telemetry');
    const was = await measureFleet('document');
    const { loaded, growth, load, latency, usage, idle } = now;
    // Each watched site's probe door changes every 1.2 s (when the generator keeps time): changes a console should see in the window.
    const probesExpected = Math.round((load.counts.probes / FLEET_SITES) * CONSOLES * (growth.windowS / load.loadSeconds));
    const plannedEvents = RATE * 0.7 * FLEET_SITES;
    const c = load.counts;
    const saved = (a: number, b: number): string => (b > 0 ? `${round((1 - a / b) * 100)} % less than before (${Math.round(b)})` : 'before: 0');
    return {
      ran: `cloud (own process, SQLite) with the demo tenant + ${FLEET_SITES} bench sites of 50 devices; fleet process: ${FLEET_SITES} sites, each its own edge link (events) and site-document sync written by the edge's SiteWriter + DocSync (state throttle 1 s per device, occupancy), the simulator's mix at ${RATE} events/s per site (30 % swipes → access event + door lock cycle + people count, 40 % motion events, 30 % sensor readings) plus every device's full state every 30 s and one probe door change per site every 1.2 s; console process: ${CONSOLES} HQ-operator connections, each on the tenant document and one site document (sites 1, 3, 5 …); cloud reported ${loaded.docs} documents loaded, ${loaded.connections} sync connections, ${loaded.edgeLinks} edge links; ${IDLE_S} s idle, ${WARMUP_S} s warm-up, then a ${WINDOW_S} s measured window (growth extrapolated ×${round(3600 / growth.windowS)} to one hour); in the fleet's ${round(load.loadSeconds)} s of load: ${c.swipes} swipes, ${c.motion} motion events, ${c.readings} readings, ${c.stateReports} state reports, ${c.probes} probes, ${load.eventsStored} events stored. Then the same fleet on a fresh cloud with every reading written into the site document, as gateways did before live telemetry ("before")`,
      figures: [
        atMost('cloud RSS idle', Math.round(idle.rssMiB), 'MiB', 500),
        info('cloud CPU idle', round(idle.cpuPercent), '% of one core'),
        atMost('cloud RSS under the fleet (peak)', Math.round(usage.cloud.peakRssMiB), 'MiB', 500),
        info('cloud CPU under the fleet', cpu(usage.cloud), '% of one core', { note: `${Math.round(load.eventsStored / load.loadSeconds)} events/s stored; event → stored p99 ${Math.round(load.storedLatency.p99)} ms` }),
        info('cloud CPU under the fleet, readings in the document (before)', cpu(was.usage.cloud), '% of one core', { note: `peak RSS ${Math.round(was.usage.cloud.peakRssMiB)} MiB` }),
        info('site document growth (merged state)', Math.round(growth.mergedBytes), 'bytes/site/hour', { note: `${saved(growth.mergedBytes, was.growth.mergedBytes)}; ${now.before.mergedBytes} → ${now.after.mergedBytes} bytes merged over ${now.after.docs} site documents in ${round(growth.windowS)} s` }),
        info('site document growth, readings in the document (before)', Math.round(was.growth.mergedBytes), 'bytes/site/hour'),
        info('site document updates stored', Math.round(growth.rowsAppended), 'rows/site/hour', { note: `${saved(growth.rowsAppended, was.growth.rowsAppended)}; stored bytes net of compaction ${Math.round(growth.storedBytes)} bytes/site/hour (before ${Math.round(was.growth.storedBytes)})` }),
        info('site document updates stored, readings in the document (before)', Math.round(was.growth.rowsAppended), 'rows/site/hour'),
        atMost('console update latency p99 (edge write → console)', round(latency.p99), 'ms', 1000, { note: `p50 ${round(latency.p50)} ms, max ${round(latency.max)} ms; ${latency.count} changes seen (≈${probesExpected} expected); before: p99 ${round(was.latency.p99)} ms` }),
        atLeast('events offered by the fleet (achieved)', Math.round(load.eventsOfferedPerSec), 'events/s', Math.round(plannedEvents * 0.98), {
          note: `planned ${plannedEvents}/s (swipes and motion, 70 % of ${RATE}/s × ${FLEET_SITES}); below it the generator, not the cloud, set the load`,
        }),
        info('fleet generator CPU', cpu(usage.fleet), '% of one core', { note: `tick lateness p99 ${Math.round(load.tickLateMs.p99)} ms, ${load.ticksSkipped} ticks of 100 ms dropped` }),
        info('console generator CPU', cpu(usage.consoles), '% of one core'),
      ],
      details: { now, before: was },
    };
  },
};
