import { readFileSync } from 'node:fs';
import { finish, ready, runMain, workerFlags } from '../harness/worker-io';
import { nowMs, sleep, waitFor } from '../harness/wait';
import { summarize } from '../stats';
import { FleetSite, type SiteCounts } from './fleet-site';
import { SimulatedEdge } from './simulated-edge';

/** What the realistic fleet hands back when told to stop. */
export interface SiteFleetResult {
  sites: number;
  /** events per second per site offered (the simulator's mix) */
  rate: number;
  loadSeconds: number;
  counts: SiteCounts;
  eventsStored: number;
  storedLatency: ReturnType<typeof summarize>;
  backlogAtEnd: number;
  /** how late the 100 ms ticks ran: a generator that cannot keep up shows here, not as a slow cloud */
  tickLateMs: ReturnType<typeof summarize>;
  /** ticks dropped because the generator ran more than 1 s behind (their events never happened) */
  ticksSkipped: number;
  /** events the fleet really offered per second (swipes and motion; readings go to the document or telemetry) */
  eventsOfferedPerSec: number;
}

/**
 * The realistic fleet: every site of the tokens file as `FleetSite` (the edge's own document writer
 * and document sync, events on the edge link) in one process. Prints READY once every link is up
 * and every site document synced and announced, stays silent `idle` s, prints `PHASE load`, then
 * runs the simulator's traffic at `rate` events/s per site until SIGTERM (or `max-seconds`).
 */
runMain(async () => {
  const f = workerFlags(['url', 'tokens', 'rate', 'idle', 'max-seconds', 'readings']);
  if (f.readings !== 'telemetry' && f.readings !== 'document') throw new Error(`--readings: telemetry or document, not ${f.readings}`);
  const readings = f.readings;
  const tokens = Object.entries(JSON.parse(readFileSync(f.tokens, 'utf8')) as Record<string, string>);
  const rate = Number(f.rate);
  const links = await Promise.all(tokens.map(([siteId, token]) => SimulatedEdge.connect(f.url, siteId, token)));
  const sites = tokens.map(([siteId, token], i) => new FleetSite(siteId, i, f.url, token, links[i]!, Math.random, readings));
  await waitFor('every site document synced', () => sites.every((s) => s.synced), 60_000, 100);
  const now = Date.now();
  for (const s of sites) s.announce(now);
  ready(`${sites.length} sites linked, documents synced`);

  let stopping = false;
  const stop = (): void => void (stopping = true);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const deadline = nowMs() + Number(f['max-seconds']) * 1000;
  const idleEnd = nowMs() + Number(f.idle) * 1000;
  while (!stopping && nowMs() < idleEnd) await sleep(50);
  console.log('PHASE load');

  const started = nowMs();
  const late: number[] = [];
  let tick = 0;
  let skipped = 0;
  while (!stopping && nowMs() < deadline) {
    const at = Date.now();
    for (const s of sites) s.tick(rate, at);
    tick++;
    const due = started + tick * 100;
    const behind = nowMs() - due;
    late.push(Math.max(0, behind));
    // More than a second behind: the missed ticks are dropped rather than sent in a burst, and counted.
    if (behind > 1000) {
      const missed = Math.floor(behind / 100);
      skipped += missed;
      tick += missed;
    }
    await sleep(Math.max(0, started + tick * 100 - nowMs()));
  }
  const counts: SiteCounts = { swipes: 0, motion: 0, readings: 0, stateReports: 0, probes: 0 };
  for (const s of sites) for (const k of Object.keys(counts) as Array<keyof SiteCounts>) counts[k] += s.counts[k];
  const result: SiteFleetResult = {
    sites: sites.length,
    rate,
    loadSeconds: (nowMs() - started) / 1000,
    counts,
    eventsStored: links.reduce((n, l) => n + l.stored, 0),
    storedLatency: summarize(links.flatMap((l) => l.storedLatencies.map(([, ms]) => ms))),
    backlogAtEnd: links.reduce((n, l) => n + l.backlog, 0),
    tickLateMs: summarize(late),
    ticksSkipped: skipped,
    eventsOfferedPerSec: 0,
  };
  result.eventsOfferedPerSec = (counts.swipes + counts.motion) / result.loadSeconds;
  // The process ends with the result: its links and document syncs close with it.
  finish(result);
});
