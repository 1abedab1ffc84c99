import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { SITE_MAPS, siteDocName, tenantDocName } from '@cr/shared';
import { connectProvider, whenSynced } from '../harness/providers';
import { finish, ready, runMain, workerFlags } from '../harness/worker-io';
import { sleep } from '../harness/wait';

/** What the consoles saw: one sample per change of a watched device's state, in arrival order. */
export interface FleetConsolesResult {
  consoles: number;
  /** [seen at (epoch ms), written at the edge → seen (ms)] */
  samples: Array<[number, number]>;
}

/**
 * Console connections as operators keep them open: each on the tenant document (the overview map)
 * and on one site document (`sites`, round-robin), each with its own HQ operator token. Every change
 * of `device`'s state in a watched site document is timed from its `ts` (stamped by the edge when
 * it wrote it) to its arrival here. Runs until SIGTERM (or `max-seconds`), then prints the samples.
 */
runMain(async () => {
  const f = workerFlags(['url', 'tokens', 'sites', 'device', 'max-seconds']);
  const { readers } = JSON.parse(readFileSync(f.tokens, 'utf8')) as { readers: string[] };
  const sites = f.sites.split(',');
  const samples: Array<[number, number]> = [];
  const providers = readers.flatMap((token, i) => {
    const site = connectProvider(f.url, siteDocName('demo', sites[i % sites.length]!), token, new Y.Doc());
    site.doc.getMap(SITE_MAPS.state).observe((e) => {
      if (!e.keysChanged.has(f.device) || e.transaction.local) return;
      const entry = site.doc.getMap(SITE_MAPS.state).get(f.device) as { ts?: number } | undefined;
      const now = Date.now();
      if (typeof entry?.ts === 'number') samples.push([now, now - entry.ts]);
    });
    return [connectProvider(f.url, tenantDocName('demo'), token), site];
  });
  await Promise.all(providers.map(whenSynced));
  // Samples from the initial sync are history, not latency.
  samples.length = 0;
  ready(`${readers.length} consoles synced`);
  let stopping = false;
  process.on('SIGTERM', () => void (stopping = true));
  process.on('SIGINT', () => void (stopping = true));
  const deadline = Date.now() + Number(f['max-seconds']) * 1000;
  while (!stopping && Date.now() < deadline) await sleep(50);
  for (const p of providers) p.destroy();
  finish({ consoles: readers.length, samples } satisfies FleetConsolesResult);
});
