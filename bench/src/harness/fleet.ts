import { join } from 'node:path';
import { login } from '@cr/demo/cloud-client';
import type { FleetResult } from '../workers/edge-fleet';
import { runWorker, startCloud, startWorker, type CloudProcess, type Worker } from './services';
import { tempDir } from './temp';

export const FLEET_SITES = 200;

/** A cloud (own process) whose data folder holds the demo tenant plus 200 bench sites, and their edge tokens. */
export async function startFleetCloud(label: string): Promise<{ cloud: CloudProcess; tokensFile: string; hqToken: string }> {
  const dir = join(tempDir(label), 'cloud');
  const seeded = await seedFleet(dir, 'sqlite');
  const cloud = await startCloud(dir);
  return { cloud, tokensFile: seeded.file, hqToken: await login(cloud.url, 'hq@demo.local') };
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
  /** seconds connected but silent before the load starts */
  idle: number;
  /** also sync every site document and open this many console connections on the tenant document */
  docs?: { consoles: number; hqToken: string };
}

/** Starts the load generator (its own process): 200 simulated edges on the edge link protocol. */
export function startFleet(cloudUrl: string, tokensFile: string, load: FleetLoad, onLine?: (line: string) => void): Promise<Worker<FleetResult>> {
  const args = ['--url', cloudUrl, '--tokens', tokensFile, '--rate', String(load.rate), '--seconds', String(load.seconds), '--warmup', String(load.warmup), '--idle', String(load.idle)];
  args.push('--docs', load.docs ? '1' : '0', '--consoles', String(load.docs?.consoles ?? 0), '--console-token', load.docs?.hqToken ?? '-');
  return startWorker<FleetResult>('edge fleet', 'edge-fleet.ts', args, 110_000, onLine);
}
