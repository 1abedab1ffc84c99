import { join } from 'node:path';
import { FANOUT, fanoutWorkload, seedConsoles, type FanoutMeasured as Measured } from '../harness/fanout-workload';
import { startCloud, startWorker } from '../harness/services';
import { tempDir } from '../harness/temp';
import { atLeast, atMost, info, type Figure, type Scenario } from '../scenario';
import { round } from '../stats';
import { fanoutAcrossInstances } from './fanout-cluster';

const REF = 'us/@y/websocket-server 0.1.1';

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
  title: 'one site document edited 50×/s with 100 console clients connected; us and @y/websocket-server 0.1.1, then 1, 2 and 3 instances on PostgreSQL and Redis',
  limitMs: 600_000,
  async run() {
    const dir = join(tempDir('fanout'), 'cloud');
    const tokens = await seedConsoles(dir, 'sqlite');
    const cloud = await startCloud(dir);
    let us: Measured;
    try {
      us = await fanoutWorkload([cloud.pid], cloud.url, 'site:demo:gangnam', tokens);
    } finally {
      await cloud.stop();
    }
    const ref = await startWorker<never>('reference server', 'reference-yws.ts', [], 100_000);
    let reference: Measured;
    try {
      const url = /READY (\S+)/.exec(ref.tail.find((l) => l.startsWith('READY')) ?? '')?.[1];
      if (!url) throw new Error('the reference server did not print its URL');
      reference = await fanoutWorkload([ref.pid], url, 'site:demo:gangnam', '-');
    } finally {
      await ref.stop();
    }
    const cluster = await fanoutAcrossInstances();
    return {
      ran: `same client process workload against each server (own processes): ${FANOUT.clients} y-websocket providers + 1 writer provider on one site document (the site's gateway); the writer sets a device state (SiteDoc) ${FANOUT.rate}×/s for ${FANOUT.seconds} s, latency = edit → observed in each client; then ${FANOUT.saturateSeconds} s closed loop with ${FANOUT.window} edits outstanding; ours authenticates every client (${FANOUT.clients} HQ operators, each on their own sync budget; the writer is the site's gateway) and appends every update to SQLite before broadcast, the reference keeps documents in memory only; ${cluster.ran}`,
      figures: [...figures(us, reference), ...cluster.figures],
      details: { us, reference, instances: cluster.steps },
    };
  },
};
