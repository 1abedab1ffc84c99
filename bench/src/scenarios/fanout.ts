import { login } from '@cr/demo/cloud-client';
import { ProcessWatch } from '../harness/proc';
import { startCloud, startWorker, type Running } from '../harness/services';
import { tempDir } from '../harness/temp';
import { atLeast, atMost, info, type Figure, type Scenario } from '../scenario';
import { round, type Summary } from '../stats';

const CLIENTS = 100;
const RATE = 50;
const SECONDS = 10;
const SATURATE_SECONDS = 8;
const WINDOW = 20;
const REF = 'us/@y/websocket-server 0.1.1';

interface FanoutResult {
  steady: { perClient: Summary; toEveryClient: Summary; lost: number };
  saturation: { editsPerSec: number; deliveriesPerSec: number };
}

interface Measured extends FanoutResult {
  serverCpuMsPerEdit: number;
  serverRssMiB: number;
}

/** Runs the client workload (its own process) against a server and watches the server's CPU during saturation. */
async function workload(server: Running, url: string, doc: string, token: string): Promise<Measured> {
  let watch: ProcessWatch | undefined;
  let usage: ReturnType<ProcessWatch['stop']> | undefined;
  const args = ['--url', url, '--doc', doc, '--token', token, '--clients', String(CLIENTS), '--rate', String(RATE), '--seconds', String(SECONDS)];
  args.push('--saturate-seconds', String(SATURATE_SECONDS), '--window', String(WINDOW));
  const clients = await startWorker<FanoutResult>('fanout clients', 'fanout-clients.ts', args, 100_000, (line) => {
    if (line === 'PHASE saturate') watch = new ProcessWatch(server.pid);
    if (line === 'PHASE done') usage = watch?.stop();
  });
  const r = await clients.result;
  if (!usage) throw new Error('the client workload did not report its saturation phase');
  const edits = r.saturation.editsPerSec * SATURATE_SECONDS;
  return { ...r, serverCpuMsPerEdit: ((usage.cpuPercent / 100) * SATURATE_SECONDS * 1000) / edits, serverRssMiB: usage.peakRssMiB };
}

function figures(us: Measured, ref: Measured): Figure[] {
  const ratio = (a: number, b: number) => ({ ratio: round(a / b), ratioOf: REF });
  return [
    info('update → client p50', round(us.steady.perClient.p50), 'ms', ratio(us.steady.perClient.p50, ref.steady.perClient.p50)),
    atMost('update → client p99', round(us.steady.perClient.p99), 'ms', 20, ratio(us.steady.perClient.p99, ref.steady.perClient.p99)),
    info('update → all 100 clients p99', round(us.steady.toEveryClient.p99), 'ms', ratio(us.steady.toEveryClient.p99, ref.steady.toEveryClient.p99)),
    atLeast('throughput at saturation', Math.round(us.saturation.editsPerSec), 'edits/s to all clients', Math.round(1.5 * ref.saturation.editsPerSec), {
      ...ratio(us.saturation.editsPerSec, ref.saturation.editsPerSec),
      note: `target 1.5× reference`,
    }),
    info('server CPU per edit at saturation', round(us.serverCpuMsPerEdit), 'ms', ratio(us.serverCpuMsPerEdit, ref.serverCpuMsPerEdit)),
    info('reference: update → client p50 / p99', round(ref.steady.perClient.p50), 'ms', { note: `p99 ${round(ref.steady.perClient.p99)} ms` }),
    info('reference: throughput at saturation', Math.round(ref.saturation.editsPerSec), 'edits/s to all clients'),
  ];
}

export const fanout: Scenario = {
  name: 'fanout',
  title: 'one site document edited 50×/s with 100 console clients connected; us and @y/websocket-server 0.1.1',
  async run() {
    const cloud = await startCloud(`${tempDir('fanout')}/cloud`);
    let us: Measured;
    try {
      us = await workload(cloud, `${cloud.url}`, 'site:demo:gangnam', await login(cloud.url, 'hq@demo.local'));
    } finally {
      await cloud.stop();
    }
    const ref = await startWorker<never>('reference server', 'reference-yws.ts', [], 100_000);
    let reference: Measured;
    try {
      const url = /READY (\S+)/.exec(ref.tail.find((l) => l.startsWith('READY')) ?? '')?.[1];
      if (!url) throw new Error('the reference server did not print its URL');
      reference = await workload(ref, url, 'site:demo:gangnam', '-');
    } finally {
      await ref.stop();
    }
    return {
      ran: `same client process workload against each server (own processes): ${CLIENTS} y-websocket providers + 1 writer provider on one site document; the writer sets a device state (SiteDoc) ${RATE}×/s for ${SECONDS} s, latency = edit → observed in each client; then ${SATURATE_SECONDS} s closed loop with ${WINDOW} edits outstanding; ours authenticates (hq-operator token) and appends every update to SQLite before broadcast, the reference keeps documents in memory only`,
      figures: figures(us, reference),
      details: { us, reference },
    };
  },
};
