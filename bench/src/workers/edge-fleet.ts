import { readFileSync } from 'node:fs';
import { finish, ready, runMain, workerFlags } from '../harness/worker-io';
import { nowMs, sleep } from '../harness/wait';
import { summarize } from '../stats';
import { accessGrants, SimulatedEdge } from './simulated-edge';

/** How long events of the window still unacknowledged when the load stops may take to be stored. */
const DRAIN_MS = 2000;

/**
 * The ingest load: one edge link per site, each site's events accruing at `rate`/s (every 100 ms,
 * open loop) and uploaded as the real edge does. After `warmup` s, `seconds` s are measured: of the
 * events that happened in the window, how many were stored (by the end of a short drain) and how
 * long each took from happening to stored.
 */
runMain(async () => {
  const f = workerFlags(['url', 'tokens', 'rate', 'seconds', 'warmup']);
  const tokens = JSON.parse(readFileSync(f.tokens, 'utf8')) as Record<string, string>;
  const rate = Number(f.rate);
  const edges = await Promise.all(Object.entries(tokens).map(([siteId, token]) => SimulatedEdge.connect(f.url, siteId, token)));
  ready(`${edges.length} edges linked`);
  const warmupEnd = nowMs() + Number(f.warmup) * 1000;
  const end = warmupEnd + Number(f.seconds) * 1000;
  const seq = edges.map(() => ({ n: 0 }));
  let generatedAtWarmup: number | undefined;
  let generated = 0;
  let credit = 0;
  let tick = 0;
  const started = nowMs();
  while (nowMs() < end) {
    credit += rate / 10;
    const count = Math.floor(credit);
    credit -= count;
    if (generatedAtWarmup === undefined && nowMs() >= warmupEnd) generatedAtWarmup = generated;
    for (const [i, e] of edges.entries()) e.record(accessGrants(seq[i]!, count));
    generated += count * edges.length;
    tick++;
    await sleep(Math.max(0, started + tick * 100 - nowMs()));
  }
  const stored = edges.reduce((s, e) => s + e.stored, 0);
  const window = (nowMs() - warmupEnd) / 1000;
  const backlogAtEnd = edges.reduce((s, e) => s + e.backlog, 0);
  // The events of the window still on their way get up to DRAIN_MS to be stored.
  const drainUntil = nowMs() + DRAIN_MS;
  while (nowMs() < drainUntil && edges.some((e) => e.unacknowledged > 0)) await sleep(20);
  const ofWindow = edges.flatMap((e) => e.storedLatencies.filter(([at, ms]) => at - ms >= warmupEnd && at - ms <= end).map(([, ms]) => ms));
  const result: FleetResult = {
    sites: edges.length,
    offeredPerSec: rate * edges.length,
    generatedPerSec: (generated - (generatedAtWarmup ?? generated)) / window,
    storedPerSec: ofWindow.length / window,
    storedLatency: summarize(ofWindow),
    ackLatency: summarize(edges.flatMap((e) => e.ackLatencies.filter(([at]) => at >= warmupEnd && at <= end).map(([, ms]) => ms))),
    backlogAtEnd,
    storedTotal: stored,
  };
  for (const e of edges) e.close();
  finish(result);
});

export interface FleetResult {
  sites: number;
  /** what the load asked for */
  offeredPerSec: number;
  /** what the generator really produced in the window (below the offered rate when it could not keep time) */
  generatedPerSec: number;
  /** events of the window that were stored, per second of the window */
  storedPerSec: number;
  /** batch sent → acknowledged, for acknowledgements in the window */
  ackLatency: ReturnType<typeof summarize>;
  /** event happened at the site → acknowledged as stored, for the events of the window that were stored */
  storedLatency: ReturnType<typeof summarize>;
  /** events not yet sent when the load stopped */
  backlogAtEnd: number;
  storedTotal: number;
}
