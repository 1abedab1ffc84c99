import { join } from 'node:path';
import { login } from '@cr/demo/cloud-client';
import type { FleetResult } from '../workers/edge-fleet';
import type { SiteFleetResult } from '../workers/site-fleet';
import type { FleetConsolesResult } from '../workers/fleet-consoles';
import { runWorker, startCloud, startWorker, type CloudProcess, type Worker } from './services';
import { startStoppableWorker, type StoppableWorker } from './stoppable-worker';
import { tempDir } from './temp';

export const FLEET_SITES = 200;

export interface FleetCloud {
  cloud: CloudProcess;
  /** the cloud's data folder (its SQLite store is `cloud.db` in it) */
  dataDir: string;
  tokensFile: string;
  hqToken: string;
  /** with `consoles`: one HQ operator's token per console (seed-consoles.ts) */
  consoleTokensFile?: string;
}

/** A cloud (own process) whose data folder holds the demo tenant plus 200 bench sites, and their edge tokens. */
export async function startFleetCloud(label: string, opts: { consoles?: number } = {}): Promise<FleetCloud> {
  const dataDir = join(tempDir(label), 'cloud');
  const seeded = await seedFleet(dataDir, 'sqlite');
  const consoles = opts.consoles ? await runWorker<{ file: string }>('seed consoles', 'seed-consoles.ts', ['--data', dataDir, '--consoles', String(opts.consoles), '--store', 'sqlite'], 120_000) : undefined;
  const cloud = await startCloud(dataDir);
  return { cloud, dataDir, tokensFile: seeded.file, hqToken: await login(cloud.url, 'hq@demo.local'), ...(consoles ? { consoleTokensFile: consoles.file } : {}) };
}

/** A data directory (and store) holding the demo tenant and FLEET_SITES sites; returns the edge tokens' file. */
export async function seedFleet(dir: string, store: string): Promise<{ file: string }> {
  return runWorker<{ file: string }>('seed sites', 'seed-sites.ts', ['--data', dir, '--sites', String(FLEET_SITES), '--store', store], 120_000);
}

export interface FleetLoad {
  /** events per second per site */
  rate: number;
  seconds: number;
  warmup: number;
}

/** Starts the ingest load generator (its own process): one edge link per site, access grants only. */
export function startFleet(cloudUrl: string, tokensFile: string, load: FleetLoad): Promise<Worker<FleetResult>> {
  const args = ['--url', cloudUrl, '--tokens', tokensFile, '--rate', String(load.rate), '--seconds', String(load.seconds), '--warmup', String(load.warmup)];
  return startWorker<FleetResult>('edge fleet', 'edge-fleet.ts', args, 110_000);
}

/**
 * Starts the realistic fleet (its own process, site-fleet.ts): every site's document written by the
 * edge's own code and synced, the simulator's traffic at `rate` events/s per site after `idleS` s
 * of silence; runs until `finish()`. `onLine` sees `PHASE load` when the traffic starts.
 */
export async function startSiteFleet(
  cloudUrl: string,
  tokensFile: string,
  rate: number,
  idleS: number,
  maxS: number,
  onLine?: (line: string) => void,
  readings: ReadingsPath = 'telemetry',
): Promise<StoppableWorker<SiteFleetResult>> {
  const args = ['--url', cloudUrl, '--tokens', tokensFile, '--rate', String(rate), '--idle', String(idleS), '--max-seconds', String(maxS), '--readings', readings];
  return startStoppableWorker<SiteFleetResult>('site fleet', 'site-fleet.ts', args, (maxS + 60) * 1000, { readyTimeoutMs: 120_000, ...(onLine ? { onLine } : {}) });
}

/** Where the fleet's sensor readings go: live telemetry (the edge today) or the document (gateways before it). */
export type ReadingsPath = 'telemetry' | 'document';

/** Starts the console connections (their own process, fleet-consoles.ts), timing every change of `device` they see. */
export async function startFleetConsoles(cloudUrl: string, tokensFile: string, sites: string[], device: string, maxS: number): Promise<StoppableWorker<FleetConsolesResult>> {
  const args = ['--url', cloudUrl, '--tokens', tokensFile, '--sites', sites.join(','), '--device', device, '--max-seconds', String(maxS)];
  return startStoppableWorker<FleetConsolesResult>('fleet consoles', 'fleet-consoles.ts', args, (maxS + 60) * 1000, { readyTimeoutMs: 120_000 });
}
