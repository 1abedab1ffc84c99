import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEMO_SITES, deviceChannelFilter, deviceTopic } from '@cr/shared';
import { tempDir } from '../harness/temp';
import type { MqttClient } from 'mqtt';
import { startLinkedEdge } from '../harness/linked-edge';
import { connectDevice, histogramStats, subscribe } from '../harness/mqtt';
import { nowMs, sleep } from '../harness/wait';
import { atLeast, atMost, info, type Figure, type Scenario } from '../scenario';
import { round, summarize, type Summary } from '../stats';

const SITE = 'gangnam';
const STEADY = { rate: 100, seconds: 30 };
const SEARCH_RATES = [200, 400, 700, 1000, 1500, 2000, 3000, 4000];
const SEARCH_SECONDS = 5;
const P99_LIMIT_MS = 10;

interface Step {
  rate: number;
  seconds: number;
  sent: number;
  answered: number;
  granted: number;
  achievedRate: number;
  latency: Summary;
}

/** Readers badging demo cards at `rate` requests/s for `seconds`; latency = request published → response received. */
async function badge(client: MqttClient, readers: string[], pending: Map<string, (at: number, granted: boolean) => void>, rate: number, seconds: number, tag: string): Promise<Step> {
  const latencies: number[] = [];
  let granted = 0;
  const total = rate * seconds;
  const started = nowMs();
  let sent = 0;
  while (sent < total) {
    // Open loop: requests leave on schedule whether or not earlier ones were answered.
    const due = Math.min(total, Math.floor(((nowMs() - started) / 1000) * rate) + 1);
    for (; sent < due; sent++) {
      const requestId = `${tag}-${sent}`;
      const reader = readers[sent % readers.length]!;
      const at = nowMs();
      pending.set(requestId, (done, ok) => {
        latencies.push(done - at);
        if (ok) granted++;
      });
      const card = `card-${String((sent % 100) + 1).padStart(4, '0')}`;
      client.publish(deviceTopic(SITE, reader, 'access/request'), JSON.stringify({ requestId, credential: { type: 'card', value: card }, ts: Date.now() }), { qos: 1 });
    }
    await sleep(Math.max(0, started + (sent / rate) * 1000 - nowMs()));
  }
  const elapsed = (nowMs() - started) / 1000;
  const deadline = Date.now() + 2000;
  while (latencies.length < total && Date.now() < deadline) await sleep(10);
  for (let i = 0; i < total; i++) pending.delete(`${tag}-${i}`);
  return { rate, seconds, sent, answered: latencies.length, granted, achievedRate: sent / elapsed, latency: summarize(latencies) };
}

const passes = (s: Step): boolean => s.answered === s.sent && s.latency.p99 < P99_LIMIT_MS && s.achievedRate >= s.rate * 0.95;

/** The local Mosquitto service the access scenario also runs on (CONTRACT §1 `--mqtt-url`). */
const MOSQUITTO_URL = process.env.BENCH_MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883';

interface BrokerRun {
  ran: string;
  figures: Figure[];
  details: Record<string, unknown>;
}

/** The whole measurement on one broker: a linked cloud and edge, steady load, then the step search. */
async function onBroker(label: string, edgeArgs: string[]): Promise<BrokerRun> {
  const system = await startLinkedEdge(SITE, `access-${label}`, edgeArgs);
  const client = await connectDevice(system.edge.mqttUrl, `bench-readers-${label}`);
  try {
    const pending = new Map<string, (at: number, granted: boolean) => void>();
    client.on('message', (_topic, payload) => {
      const at = nowMs();
      const r = JSON.parse(payload.toString()) as { requestId: string; granted: boolean };
      pending.get(r.requestId)?.(at, r.granted);
      pending.delete(r.requestId);
    });
    await subscribe(client, deviceChannelFilter(SITE, 'access/response'));
    const readers = DEMO_SITES.find((s) => s.id === SITE)!.devices.filter((d) => d.kind === 'reader').map((d) => d.id);
    await badge(client, readers, pending, 50, 2, `${label}-warmup`);
    const steady = await badge(client, readers, pending, STEADY.rate, STEADY.seconds, `${label}-steady`);
    if (steady.granted !== steady.sent) throw new Error(`${label}: only ${steady.granted} of ${steady.sent} demo-card requests were granted`);
    const steps: Step[] = [];
    for (const rate of SEARCH_RATES) {
      const step = await badge(client, readers, pending, rate, SEARCH_SECONDS, `${label}-r${rate}`);
      steps.push(step);
      if (!passes(step)) break;
    }
    const best = steps.filter(passes).at(-1);
    // The edge's own view: request received → response published, without the network and broker.
    const decision = histogramStats(await (await fetch(`${system.edge.httpUrl}/metrics`)).text(), 'edge_access_decision_seconds', '0.001');
    const l = steady.latency;
    const tag = (name: string) => `${name} (${label})`;
    return {
      ran: `${label}: ${readers.length} readers on one MQTT client, ${STEADY.rate} req/s for ${STEADY.seconds} s (${steady.sent} requests), then ${SEARCH_SECONDS} s steps at ${steps.map((s) => s.rate).join(', ')} req/s until p99 ≥ ${P99_LIMIT_MS} ms`,
      figures: [
        info(tag('p50 at 100 req/s'), round(l.p50), 'ms'),
        info(tag('p95 at 100 req/s'), round(l.p95), 'ms'),
        atMost(tag('p99 at 100 req/s'), round(l.p99), 'ms', 5, { note: 'site design asks < 100 ms' }),
        info(tag('edge decision time (mean, inside the edge)'), round(decision.mean * 1e6), 'µs', { note: `${round(decision.shareBelow * 100)} % of decisions ≤ 1 ms` }),
        atLeast(tag('max sustained rate with p99 < 10 ms'), best?.rate ?? 0, 'req/s', STEADY.rate, { note: `highest step tried: ${steps.at(-1)?.rate} req/s, p99 ${round(steps.at(-1)?.latency.p99 ?? Number.NaN)} ms` }),
      ],
      details: { steady, steps, edgeDecision: decision },
    };
  } finally {
    client.end(true);
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
