import { ProcessWatch } from './proc';
import { runWorker, startWorker } from './services';
import type { Summary } from '../stats';

export const FANOUT = { clients: 100, rate: 50, seconds: 10, saturateSeconds: 8, window: 20 } as const;

export interface FanoutResult {
  steady: { perClient: Summary; toEveryClient: Summary; lost: number };
  saturation: { editsPerSec: number; deliveriesPerSec: number };
}

export interface FanoutMeasured extends FanoutResult {
  /** CPU of all server processes during saturation, per edit delivered to every client */
  serverCpuMsPerEdit: number;
  serverRssMiB: number;
}

/**
 * Runs the client workload (its own process) against a server address and watches the CPU of
 * the server processes (`pids`, summed) during saturation. `tokensFile` comes from seedConsoles
 * (`-`: no authentication).
 */
export async function fanoutWorkload(
  pids: readonly number[],
  url: string,
  doc: string,
  tokensFile: string,
): Promise<FanoutMeasured> {
  let watches: ProcessWatch[] = [];
  let usage: ReturnType<ProcessWatch['stop']>[] | undefined;
  const f = FANOUT;
  const args = [
    '--url',
    url,
    '--doc',
    doc,
    '--tokens',
    tokensFile,
    '--clients',
    String(f.clients),
    '--rate',
    String(f.rate),
    '--seconds',
    String(f.seconds),
  ];
  args.push('--saturate-seconds', String(f.saturateSeconds), '--window', String(f.window));
  const clients = await startWorker<FanoutResult>('fanout clients', 'fanout-clients.ts', args, 100_000, (line) => {
    if (line === 'PHASE saturate') watches = pids.map((pid) => new ProcessWatch(pid));
    if (line === 'PHASE done') usage = watches.map((w) => w.stop());
  });
  const r = await clients.result;
  if (!usage) throw new Error('the client workload did not report its saturation phase');
  const edits = r.saturation.editsPerSec * f.saturateSeconds;
  const cpuPercent = usage.reduce((s, u) => s + u.cpuPercent, 0);
  return {
    ...r,
    serverCpuMsPerEdit: ((cpuPercent / 100) * f.saturateSeconds * 1000) / Math.max(1, edits),
    serverRssMiB: usage.reduce((s, u) => s + u.peakRssMiB, 0),
  };
}

/** Seeds the demo tenant and one operator per console client into a data directory and store; returns the tokens' file. */
export async function seedConsoles(dir: string, store: string): Promise<string> {
  const r = await runWorker<{ file: string }>(
    'seed consoles',
    'seed-consoles.ts',
    ['--data', dir, '--consoles', String(FANOUT.clients), '--store', store],
    120_000,
  );
  return r.file;
}
