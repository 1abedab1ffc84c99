/**
 * Edge benchmarks (not a test): access request → response latency over MQTT at 100 req/s and the
 * highest sustained rate (with the default synchronous=FULL and with --sqlite-sync normal), fire
 * fan-out to 150 doors, outbox appends per second (per-append commit vs group commit) and device
 * events acknowledged per second over MQTT (each PUBACK after its commit).
 * Run: npx tsx edge/bench/edge-bench.ts [--broker embedded|mosquitto] [--out FILE]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic, type Member } from '@cr/shared';
import { parseEdgeConfig } from '../src/config';
import { startEdge, type RunningEdge } from '../src/edge';
import { groupCommit, perAppendCommit } from './outbox-bench';
import { mqttIngest } from './ingest-bench';

const silent = { info: () => undefined, warn: () => undefined, error: (m: string) => process.stderr.write(`${m}\n`) };
const { values } = parseArgs({ options: { broker: { type: 'string', default: 'embedded' }, out: { type: 'string' } } });
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const round = (n: number): number => Math.round(n * 1000) / 1000;

export async function edgeWithMembers(site: string, sync: 'full' | 'normal' = 'full'): Promise<RunningEdge> {
  const broker = values.broker === 'mosquitto' ? ['--mqtt-url', 'mqtt://127.0.0.1:1883', '--insecure-open-broker'] : ['--mqtt-port', '0'];
  const dir = mkdtempSync(join(tmpdir(), 'edge-bench-'));
  const config = parseEdgeConfig(['--site', site, ...broker, '--http-port', '0', '--data', dir, '--sqlite-sync', sync], {});
  const edge = await startEdge(config, silent);
  const members: Member[] = Array.from({ length: 1000 }, (_, i) => ({
    id: `m-${i}`, active: true, secureMode: false, offlineWhitelist: false,
    credentials: [{ type: 'card', value: `card-${i}` }], grants: [{ zoneIds: ['lobby'] }],
  }));
  edge.ctx.permissions.apply({ kind: 'snapshot', fromVersion: 0, version: 1, upserts: members, removals: [] }, Date.now());
  return edge;
}

/**
 * Sends requests at `rate`/s for `seconds`; latency measured at the reader, publish → response, and
 * inside the edge, request handled → response published (commit included; less scheduler noise).
 */
async function accessRun(edge: RunningEdge, client: MqttClient, site: string, rate: number, seconds: number) {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const inEdge: number[] = [];
  const histogram = edge.ctx.metrics.decisionSeconds;
  const observe = histogram.observe.bind(histogram);
  histogram.observe = ((v: number) => {
    inEdge.push(v * 1000);
    observe(v);
  }) as typeof histogram.observe;
  const onMessage = (_t: string, payload: Buffer): void => {
    const r = JSON.parse(payload.toString()) as { requestId: string };
    const t0 = sentAt.get(r.requestId);
    if (t0 !== undefined) latencies.push(performance.now() - t0);
  };
  client.on('message', onMessage);
  const topic = deviceTopic(site, 'reader-1', 'access/request');
  const total = rate * seconds;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const requestId = randomUUID();
    sentAt.set(requestId, performance.now());
    client.publish(topic, JSON.stringify({ requestId, credential: { type: 'card', value: `card-${i % 1000}` }, ts: Date.now() }));
  }
  const deadline = performance.now() + 5_000;
  while (latencies.length < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  client.off('message', onMessage);
  histogram.observe = observe;
  const elapsed = (performance.now() - start) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const edgeSorted = inEdge.sort((a, b) => a - b);
  return {
    rate, answered: latencies.length, sent: total, achievedPerSec: round(latencies.length / elapsed),
    p50ms: round(pct(sorted, 50)), p99ms: round(pct(sorted, 99)), inEdgeP50ms: round(pct(edgeSorted, 50)), inEdgeP99ms: round(pct(edgeSorted, 99)),
  };
}

async function benchAccess(sync: 'full' | 'normal') {
  const site = `bench-${randomUUID().slice(0, 8)}`;
  const edge = await edgeWithMembers(site, sync);
  const client = await mqtt.connectAsync(edge.mqttUrl, { clientId: `bench-${randomUUID()}` });
  await client.publishAsync(deviceTopic(site, 'door-1', 'config'), JSON.stringify({ id: 'door-1', kind: 'door', name: 'D', zoneId: 'lobby' }), { retain: true, qos: 1 });
  await client.publishAsync(deviceTopic(site, 'reader-1', 'config'), JSON.stringify({ id: 'reader-1', kind: 'reader', name: 'R', zoneId: 'lobby', doorId: 'door-1' }), { retain: true, qos: 1 });
  await client.subscribeAsync(deviceTopic(site, 'reader-1', 'access/response'));
  await accessRun(edge, client, site, 500, 2); // warm-up: JIT and SQLite caches
  const at100 = await accessRun(edge, client, site, 100, 10);
  const at100again = await accessRun(edge, client, site, 100, 10);
  const ramp = [];
  for (const rate of [250, 500, 1000, 2000, 4000, 8000]) {
    const r = await accessRun(edge, client, site, rate, 3);
    ramp.push(r);
    if (r.answered < r.sent || r.achievedPerSec < rate * 0.9 || r.p99ms > 50) break;
  }
  const sustained = ramp.filter((r) => r.answered === r.sent && r.achievedPerSec >= r.rate * 0.9 && r.p99ms <= 50).at(-1);
  await client.endAsync();
  await edge.stop();
  return { sync, at100, at100again, ramp, highestSustainedPerSec: sustained?.rate ?? 100 };
}

async function benchFire() {
  const site = `bench-${randomUUID().slice(0, 8)}`;
  const edge = await edgeWithMembers(site);
  const client = await mqtt.connectAsync(edge.mqttUrl, { clientId: `bench-${randomUUID()}` });
  await client.subscribeAsync(`cr/${site}/devices/+/cmd`, { qos: 1 });
  await Promise.all(Array.from({ length: 150 }, (_, i) =>
    client.publishAsync(deviceTopic(site, `door-${i}`, 'config'), JSON.stringify({ id: `door-${i}`, kind: 'door', name: `D${i}` }), { retain: true, qos: 1 })));
  await client.publishAsync(deviceTopic(site, 'fire-panel', 'config'), JSON.stringify({ id: 'fire-panel', kind: 'fire-panel', name: 'F' }), { retain: true, qos: 1 });
  while (edge.ctx.registry.size < 151) await new Promise((r) => setTimeout(r, 10));
  const unlocked = new Set<string>();
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  client.on('message', (topic, payload) => {
    if ((JSON.parse(payload.toString()) as { action: string }).action === 'unlock') unlocked.add(topic.split('/')[3]!);
    if (unlocked.size === 150) done();
  });
  const t0 = performance.now();
  client.publish(deviceTopic(site, 'fire-panel', 'events'), JSON.stringify({ id: randomUUID(), type: 'fire.alarm', ts: Date.now() }), { qos: 1 });
  await all;
  const ms = performance.now() - t0;
  await client.endAsync();
  await edge.stop();
  return { doors: 150, allCommandedMs: round(ms) };
}

async function main(): Promise<void> {
  const results = {
    broker: values.broker,
    at: new Date().toISOString(),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    access: await benchAccess('full'),
    accessSyncNormal: await benchAccess('normal'),
    fire: await benchFire(),
    outbox: [
      perAppendCommit('normal'),
      perAppendCommit('full'),
      await groupCommit('full', 1),
      await groupCommit('full', 64),
      await groupCommit('full', 256),
      await groupCommit('full', 256, 2),
    ],
    mqttEventIngest: [await mqttIngest((site) => edgeWithMembers(site, 'full'), 50, 3), await mqttIngest((site) => edgeWithMembers(site, 'normal'), 50, 3)],
    targets: { accessP99At100ms: 5, fireFanoutMs: 200, outboxAppendsPerSec: 10_000 },
  };
  const text = JSON.stringify(results, null, 2);
  process.stdout.write(`${text}\n`);
  if (values.out) writeFileSync(values.out, text);
  process.exit(0);
}

void main();
