import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { SITE_MAPS, SiteDoc } from '@cr/shared';
import { connectProvider, whenSynced } from '../harness/providers';
import { finish, ready, runMain, workerFlags } from '../harness/worker-io';
import { nowMs, sleep } from '../harness/wait';
import { summarize } from '../stats';

interface Edit {
  sentAt: number;
  received: number;
  lastAt: number;
}

const DEVICES = ['door-lobby', 'door-lounge', 'door-meeting', 'door-office'];

/**
 * 100 console clients (unmodified y-websocket providers, each signed in as its own operator) and
 * one writer (the site's gateway) on one site document. `--tokens` names a JSON file
 * `{ readers: string[], writer: string }`, or `-` for a server without authentication.
 * Each edit is a device state carrying its sequence number and send time; every client records
 * when it sees it. Phase 1 edits at a fixed rate; phase 2 keeps `window` edits outstanding (not
 * yet seen by every client) and counts edits delivered to all clients per second.
 */
runMain(async () => {
  const f = workerFlags(['url', 'doc', 'tokens', 'clients', 'rate', 'seconds', 'saturate-seconds', 'window']);
  const tokens = f.tokens === '-' ? undefined : (JSON.parse(readFileSync(f.tokens, 'utf8')) as { readers: string[]; writer: string });
  const readerToken = (i: number): string | undefined => (tokens ? tokens.readers[i % tokens.readers.length] : undefined);
  const clients = Number(f.clients);
  const edits = new Map<number, Edit>();
  const latencies: number[] = [];
  let satFrom = Number.POSITIVE_INFINITY;
  let satCompleted = 0;
  const onSeen = (seq: number): void => {
    const e = edits.get(seq);
    if (!e) return;
    const at = nowMs();
    latencies.push(at - e.sentAt);
    e.lastAt = at;
    if (++e.received === clients && seq >= satFrom) satCompleted++;
  };
  const readers = Array.from({ length: clients }, (_, i) => {
    const doc = new Y.Doc();
    doc.getMap(SITE_MAPS.state).observe((ev) => {
      for (const key of ev.keysChanged) onSeen(((ev.target.get(key) as { state?: { seq?: number } } | undefined)?.state?.seq as number) ?? -1);
    });
    return connectProvider(f.url, f.doc, readerToken(i), doc);
  });
  const writer = connectProvider(f.url, f.doc, tokens?.writer);
  await Promise.all([...readers, writer].map(whenSynced));
  const site = new SiteDoc(writer.doc);
  let seq = 0;
  const edit = (): void => {
    const n = seq++;
    edits.set(n, { sentAt: nowMs(), received: 0, lastAt: 0 });
    site.setDeviceState(DEVICES[n % DEVICES.length]!, { locked: n % 2 === 0, open: false, seq: n }, Date.now());
  };
  ready();
  // Phase 1: a steady 50 edits/s (open loop).
  const rate = Number(f.rate);
  const total = rate * Number(f.seconds);
  const started = nowMs();
  for (let i = 0; i < total; i++) {
    edit();
    await sleep(Math.max(0, started + ((i + 1) * 1000) / rate - nowMs()));
  }
  await sleep(1000);
  const steadyEdits = [...edits.values()];
  const toAll = steadyEdits.filter((e) => e.received === clients).map((e) => e.lastAt - e.sentAt);
  const steady = { perClient: summarize(latencies), toEveryClient: summarize(toAll), lost: steadyEdits.length - toAll.length };
  console.log('PHASE saturate');
  // Phase 2: saturation, closed loop with a bounded number of edits in flight.
  const window = Number(f.window);
  satFrom = seq;
  const satStart = nowMs();
  const satEnd = satStart + Number(f['saturate-seconds']) * 1000;
  while (nowMs() < satEnd) {
    while (seq - satFrom - satCompleted < window) edit();
    await new Promise((r) => setImmediate(r));
  }
  const satSeconds = (nowMs() - satStart) / 1000;
  console.log('PHASE done');
  const saturation = { editsPerSec: satCompleted / satSeconds, deliveriesPerSec: (satCompleted * clients) / satSeconds, window };
  for (const p of [...readers, writer]) p.destroy();
  finish({ steady, saturation, clients, rate, seconds: Number(f.seconds) });
});
