import { join } from 'node:path';
import { FANOUT, fanoutWorkload, seedConsoles, type FanoutMeasured } from '../harness/fanout-workload';
import type { ClientKind } from '../harness/providers';
import { startCloud, startWorker } from '../harness/services';
import { tempDir } from '../harness/temp';
import type { Scenario } from '../scenario';
import { fanoutAcrossInstances } from './fanout-cluster';
import { fanoutFigures, HOCUSPOCUS, YWS, type ReferenceRun } from './fanout-figures';

const DOC = 'site:demo:gangnam';

/** The reference servers, each in memory with its own client provider, run in the same run as ours. */
const REFERENCES: ReadonlyArray<{ label: string; entry: string; kind: ClientKind }> = [
  { label: YWS, entry: 'reference-yws.ts', kind: 'y-websocket' },
  { label: HOCUSPOCUS, entry: 'reference-hocuspocus.ts', kind: 'hocuspocus' },
];

async function runReference(ref: (typeof REFERENCES)[number]): Promise<ReferenceRun> {
  try {
    const server = await startWorker<never>(`reference ${ref.label}`, ref.entry, [], 100_000);
    try {
      const url = /READY (\S+)/.exec(server.tail.find((l) => l.startsWith('READY')) ?? '')?.[1];
      if (!url) throw new Error('the reference server did not print its URL');
      const measured: FanoutMeasured = await fanoutWorkload([server.pid], url, DOC, '-', ref.kind);
      return { label: ref.label, measured };
    } finally {
      await server.stop();
    }
  } catch (err) {
    return { label: ref.label, failed: (err as Error).message.split('\n')[0]! };
  }
}

export const fanout: Scenario = {
  name: 'fanout',
  title: `one site document edited 50×/s with 100 console clients connected; us, ${YWS} and ${HOCUSPOCUS}, then 1, 2 and 3 instances on PostgreSQL and Redis`,
  limitMs: 600_000,
  async run() {
    const dir = join(tempDir('fanout'), 'cloud');
    const tokens = await seedConsoles(dir, 'sqlite');
    const cloud = await startCloud(dir);
    let us: FanoutMeasured;
    try {
      us = await fanoutWorkload([cloud.pid], cloud.url, DOC, tokens);
    } finally {
      await cloud.stop();
    }
    const references: ReferenceRun[] = [];
    for (const ref of REFERENCES) references.push(await runReference(ref));
    const failed = references.flatMap((r) =>
      'failed' in r ? [`${r.label} did not run (${r.failed}), so nothing is compared with it`] : [],
    );
    const cluster = await fanoutAcrossInstances();
    const f = FANOUT;
    return {
      ran: [
        `the same workload against each server (each its own process, one after another): ${f.clients} console clients dealt over ${f.processes} client processes + 1 writer process (the site's gateway) on one site document; the writer sets a device state (SiteDoc) ${f.rate}×/s for ${f.seconds} s, latency = edit → observed in each client (one machine clock); then ${f.saturateSeconds} s closed loop with ${f.window} edits outstanding (an edit counts once every client of every process saw it); CPU of the server and of every client process watched during saturation`,
        `ours: unmodified y-websocket providers, every client authenticated (${f.clients} HQ operators, each on their own sync budget; the writer is the site's gateway), every update appended to SQLite before broadcast`,
        `${YWS}: the same y-websocket providers; ${HOCUSPOCUS}: its own @hocuspocus/provider 3.4.4 (one socket per client); both references in memory only, without authentication`,
        ...failed,
        cluster.ran,
      ].join('; '),
      figures: [...fanoutFigures(us, references, f.clients), ...cluster.figures],
      details: { us, references, instances: cluster.steps },
    };
  },
};
