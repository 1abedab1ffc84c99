import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEMO_SITES } from '@cr/shared';
import { tempDir } from '../harness/temp';
import { startLinkedEdge } from '../harness/linked-edge';
import { connectDevice, histogramStats } from '../harness/mqtt';
import { sleep } from '../harness/wait';
import { searchAccessCapacity, swipeStep } from '../harness/access-steps';
import { atLeast, atMost, info, type Figure, type Scenario } from '../scenario';
import { round } from '../stats';
import { describeSteps } from '../step-search';

const SITE = 'gangnam';
const STEADY = { rate: 100, seconds: 30 };
const SEARCH_RATES = [200, 400, 700, 1000, 1500, 2000, 3000, 4000];
const SEARCH_SECONDS = 5;
/** A rate is sustained when p99 stays under 10 ms and ≥ 98 % of the requests are answered. */
const BOUND = { p99Ms: 10, minHandledShare: 0.98 };

/** The local Mosquitto service the access scenario also runs on (CONTRACT §1 `--mqtt-url`). */
const MOSQUITTO_URL = process.env.BENCH_MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883';

interface BrokerRun {
  ran: string;
  figures: Figure[];
  details: Record<string, unknown>;
}

/** The whole measurement on one broker: a linked cloud and edge, steady load, then the step search, each from the swipe generator's own process. */
async function onBroker(label: string, edgeArgs: string[]): Promise<BrokerRun> {
  const system = await startLinkedEdge(SITE, `access-${label}`, edgeArgs);
  try {
    const readers = DEMO_SITES.find((s) => s.id === SITE)!.devices.filter((d) => d.kind === 'reader').map((d) => d.id);
    await swipeStep(system.edge.mqttUrl, SITE, readers, 50, 2);
    const steady = await swipeStep(system.edge.mqttUrl, SITE, readers, STEADY.rate, STEADY.seconds);
    if (steady.granted !== steady.sent) throw new Error(`${label}: only ${steady.granted} of ${steady.sent} demo-card requests were granted`);
    const search = await searchAccessCapacity(system.edge.mqttUrl, SITE, readers, SEARCH_RATES, SEARCH_SECONDS, BOUND);
    const last = search.steps.filter((x) => x.pass).at(-1);
    // The edge's own view: request received → response published, without the network and broker.
    const decision = histogramStats(await (await fetch(`${system.edge.httpUrl}/metrics`)).text(), 'edge_access_decision_seconds', '0.001');
    const l = steady.latency;
    const tag = (name: string) => `${name} (${label})`;
    const broke = search.brokeAt;
    return {
      ran: `${label}: swipe generator process (one MQTT client, ${readers.length} readers, open loop), ${STEADY.rate} req/s for ${STEADY.seconds} s (${steady.sent} requests), then ${SEARCH_SECONDS} s steps until p99 ≥ ${BOUND.p99Ms} ms or answered/offered < ${BOUND.minHandledShare} (an unanswered request counts as infinitely late): ${describeSteps(search.steps, 'req/s')}`,
      figures: [
        info(tag('p50 at 100 req/s'), round(l.p50), 'ms'),
        info(tag('p95 at 100 req/s'), round(l.p95), 'ms'),
        atMost(tag('p99 at 100 req/s'), round(l.p99), 'ms', 5, { note: 'site design asks < 100 ms' }),
        info(tag('edge decision time (mean, inside the edge)'), round(decision.mean * 1e6), 'µs', { note: `${round(decision.shareBelow * 100)} % of decisions ≤ 1 ms` }),
        atLeast(tag('max sustained rate with p99 < 10 ms'), search.capacity ?? 0, 'req/s', STEADY.rate, {
          note: broke ? `next step ${broke.offered} req/s broke: ${broke.why}` : `every step passed up to ${search.steps.at(-1)?.offered} req/s: a lower bound`,
        }),
        info(tag('swipe generator CPU at capacity'), Math.round(last?.generatorCpuPercent ?? Number.NaN), '% of one core', { note: `at 100 req/s: ${Math.round(steady.generatorCpuPercent)} %` }),
      ],
      details: { steady, steps: search.steps, edgeDecision: decision },
    };
  } finally {
    await system.stop();
  }
}

async function reachable(url: string): Promise<boolean> {
  try {
    const c = await connectDevice(url, `bench-probe-${process.pid}`);
    c.end(true);
    return true;
  } catch {
    return false;
  }
}

/**
 * A private Mosquitto on a free port with the setting the shipped site config has
 * (`set_tcp_nodelay true`); Mosquitto's own default leaves Nagle on, which holds small packets
 * behind the peer's delayed ACK.
 */
async function startTunedMosquitto(): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  const dir = tempDir('mosquitto');
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\n`);
  const proc = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  const failed = new Promise<undefined>((resolve) => proc.once('error', () => resolve(undefined)));
  const url = `mqtt://127.0.0.1:${port}`;
  const up = (async () => {
    for (let i = 0; i < 50; i++) {
      if (await reachable(url)) return { url, stop: async () => void proc.kill('SIGTERM') };
      await sleep(100);
    }
    proc.kill('SIGKILL');
    return undefined;
  })();
  return Promise.race([up, failed]);
}

export const access: Scenario = {
  name: 'access',
  title: 'MQTT access request → response at the edge, on the embedded broker and on Mosquitto',
  limitMs: 420_000,
  async run() {
    const embedded = await onBroker('embedded', []);
    // The same edge on the machine's Mosquitto service as installed (an open local broker, accepted explicitly for the run)…
    const open = ['--insecure-open-broker'];
    const stock = (await reachable(MOSQUITTO_URL)) ? await onBroker('Mosquitto, default config', ['--mqtt-url', MOSQUITTO_URL, ...open]) : undefined;
    // …and on a Mosquitto configured as edge/deploy/mosquitto/mosquitto.conf recommends.
    const tunedBroker = await startTunedMosquitto();
    const tuned = tunedBroker ? await onBroker('Mosquitto, set_tcp_nodelay', ['--mqtt-url', tunedBroker.url, ...open]).finally(() => tunedBroker.stop()) : undefined;
    const ranOf = (r: BrokerRun | undefined, what: string) => r?.ran ?? `${what}: not run (no broker answered)`;
    return {
      ran: `cloud + edge ${SITE} as separate processes, demo cards card-0001…0100 (all granted, each grant also pulses a door and lands in the outbox); ${embedded.ran}; ${ranOf(stock, `Mosquitto at ${MOSQUITTO_URL}`)}; ${ranOf(tuned, 'private Mosquitto')}`,
      figures: [...embedded.figures, ...(stock?.figures ?? []), ...(tuned?.figures ?? [])],
      details: { embedded: embedded.details, ...(stock ? { mosquitto: stock.details } : {}), ...(tuned ? { mosquittoNoDelay: tuned.details } : {}) },
    };
  },
};
