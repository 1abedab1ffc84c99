import { FLEET_SITES, startFleet } from './fleet';
import { ProcessWatch } from './proc';
import { stepSearch, type SearchResult, type StepBound, type StepOutcome } from '../step-search';
import type { FleetResult } from '../workers/edge-fleet';

/** Offered events/s per site at each step (× 200 sites); the design's peak is 100. */
export const INGEST_STEPS_PER_SITE = [10, 25, 50, 100, 150, 200, 300, 400];
/** An event counts as ingested when it is stored within 1 s of happening at the site (p99), and ≥ 98 % of what is offered is stored. */
export const INGEST_BOUND: StepBound = { p99Ms: 1000, minHandledShare: 0.98 };
export const STEP_WARMUP_S = 2;
export const STEP_SECONDS = 8;

export interface IngestStep extends StepOutcome {
  perSite: number;
  fleet: FleetResult;
  /** all cloud instances together, % of one core */
  cloudCpuPercent: number;
  cloudPeakRssMiB: number;
  /** the load generator's own CPU, % of one core: near 100 the generator, not the cloud, may be the limit */
  generatorCpuPercent: number;
}

/** One step: a fresh load generator process offering `perSite` events/s per site to `url`. */
async function ingestStep(url: string, tokensFile: string, cloudPids: number[], perSite: number): Promise<IngestStep> {
  const fleet = await startFleet(url, tokensFile, { rate: perSite, seconds: STEP_SECONDS, warmup: STEP_WARMUP_S });
  const clouds = cloudPids.map((pid) => new ProcessWatch(pid));
  const generator = new ProcessWatch(fleet.pid);
  const r = await fleet.result;
  const gen = generator.stop();
  const usage = clouds.map((w) => w.stop());
  return {
    perSite,
    offered: r.offeredPerSec,
    handled: r.storedPerSec,
    p99Ms: r.storedLatency.p99,
    fleet: r,
    cloudCpuPercent: usage.reduce((s, u) => s + u.cpuPercent, 0),
    cloudPeakRssMiB: usage.reduce((s, u) => s + u.peakRssMiB, 0),
    generatorCpuPercent: gen.cpuPercent,
  };
}

/** Steps the offered ingest rate up until the bound breaks; the last passing step is the capacity. */
export function searchIngestCapacity(url: string, tokensFile: string, cloudPids: number[], perSiteSteps = INGEST_STEPS_PER_SITE): Promise<SearchResult<IngestStep>> {
  return stepSearch(
    perSiteSteps.map((r) => r * FLEET_SITES),
    (rate) => ingestStep(url, tokensFile, cloudPids, rate / FLEET_SITES),
    INGEST_BOUND,
  );
}
