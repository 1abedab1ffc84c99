import type { SwipeLoadResult } from '../workers/swipe-load';
import { stepSearch, type SearchResult, type StepBound, type StepOutcome } from '../step-search';
import { round, summarize, type Summary } from '../stats';
import { ProcessWatch } from './proc';
import { startStoppableWorker } from './stoppable-worker';
import { sleep } from './wait';

export interface AccessStep extends StepOutcome {
  /** request published → response received; a request never answered counts as infinitely late */
  latency: Summary;
  sent: number;
  answered: number;
  granted: number;
  /** the swipe generator's own CPU, % of one core */
  generatorCpuPercent: number;
}

/** The swipe load generator (its own process, swipe-load.ts) at `rate` requests/s for `seconds`. */
export async function swipeStep(mqttUrl: string, site: string, readers: string[], rate: number, seconds: number): Promise<AccessStep> {
  const args = ['--url', mqttUrl, '--site', site, '--readers', readers.join(','), '--rate', String(rate), '--max-seconds', String(seconds + 30), '--drain-ms', '2000'];
  const worker = await startStoppableWorker<SwipeLoadResult>('swipe load', 'swipe-load.ts', args, (seconds + 60) * 1000);
  const watch = new ProcessWatch(worker.pid);
  await sleep(seconds * 1000);
  const cpu = watch.stop();
  const r = await worker.finish();
  const sent = r.sentAt.length;
  const elapsed = sent > 1 ? (r.sentAt.at(-1)! - r.sentAt[0]!) / 1000 : seconds;
  const answered = r.latencyMs.filter((ms) => ms >= 0).length;
  const latency = summarize(r.latencyMs.map((ms) => (ms >= 0 ? ms : Number.POSITIVE_INFINITY)));
  return {
    offered: rate,
    handled: elapsed > 0 ? answered / elapsed : 0,
    p99Ms: latency.p99,
    latency,
    sent,
    answered,
    granted: r.reasons.granted ?? 0,
    generatorCpuPercent: cpu.cpuPercent,
  };
}

/** Steps the swipe rate up until p99 or the answered share breaks the bound; the last passing step is the capacity. */
export function searchAccessCapacity(mqttUrl: string, site: string, readers: string[], rates: readonly number[], seconds: number, bound: StepBound): Promise<SearchResult<AccessStep>> {
  return stepSearch(rates, (rate) => swipeStep(mqttUrl, site, readers, rate, seconds), bound);
}

export const describeLatency = (l: Summary): string => `p50 ${round(l.p50)} ms, p95 ${round(l.p95)} ms, p99 ${round(l.p99)} ms`;
