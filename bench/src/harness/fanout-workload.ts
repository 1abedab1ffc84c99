import { ProcessWatch } from './proc';
import { runWorker, startWorker, type Worker } from './services';
import { dealClients, type SteadyFigures } from './fanout-ledger';
import type { ClientKind } from './providers';

/** 100 console clients dealt over 4 client processes, so one client process is not the limit; one writer process. */
export const FANOUT = { clients: 100, processes: 4, rate: 50, seconds: 10, saturateSeconds: 8, window: 20 } as const;

export interface FanoutResult {
  steady: SteadyFigures;
  saturation: { editsPerSec: number; deliveriesPerSec: number };
}

export interface FanoutMeasured extends FanoutResult {
  /** CPU of all server processes during saturation, per edit delivered to every client */
  serverCpuMsPerEdit: number;
  /** CPU of all server processes during saturation, % of one core */
  serverCpuPercent: number;
  serverRssMiB: number;
  /** CPU of each client process during saturation, % of one core: near 100 % means that process, not the server, was the limit */
  clientCpuPercent: number[];
  /** CPU of the writer process during saturation, % of one core */
  writerCpuPercent: number;
}

type Usage = ReturnType<ProcessWatch['stop']>;

/**
 * Runs the client workload (a writer process and `FANOUT.processes` client processes, their own
 * processes) against a server address with the provider `kind`, and watches the CPU of the
 * server processes (`pids`, summed) and of every workload process during saturation.
 * `tokensFile` comes from seedConsoles (`-`: no authentication).
 */
export async function fanoutWorkload(
  pids: readonly number[],
  url: string,
  doc: string,
  tokensFile: string,
  kind: ClientKind = 'y-websocket',
): Promise<FanoutMeasured> {
  const f = FANOUT;
  const target = ['--url', url, '--doc', doc, '--tokens', tokensFile, '--kind', kind];
  let watches: { server: ProcessWatch[]; clients: ProcessWatch[]; writer?: ProcessWatch } = { server: [], clients: [] };
  let usage: { server: Usage[]; clients: Usage[]; writer?: Usage } | undefined;
  const readers: Array<Worker<unknown>> = [];
  const writerArgs = [
    '--processes',
    String(f.processes),
    '--rate',
    String(f.rate),
    '--seconds',
    String(f.seconds),
    '--saturate-seconds',
    String(f.saturateSeconds),
    '--window',
    String(f.window),
  ];
  const writer = await startWorker<FanoutResult>(
    'fanout writer',
    'fanout-writer.ts',
    [...target, ...writerArgs],
    150_000,
    (line) => {
      if (line === 'PHASE saturate')
        watches = {
          server: pids.map((p) => new ProcessWatch(p)),
          clients: readers.map((r) => new ProcessWatch(r.pid)),
          writer: new ProcessWatch(writer.pid),
        };
      if (line === 'PHASE done')
        usage = {
          server: watches.server.map((w) => w.stop()),
          clients: watches.clients.map((w) => w.stop()),
          writer: watches.writer?.stop(),
        };
    },
  );
  try {
    const port = /^READY (\d+)/.exec(writer.tail.find((l) => l.startsWith('READY')) ?? '')?.[1];
    if (!port) throw new Error('the fanout writer did not print its port');
    const counts = dealClients(f.clients, f.processes);
    const starts = counts.map((n, i) => {
      const first = counts.slice(0, i).reduce((s, c) => s + c, 0);
      const args = [
        ...target,
        '--first',
        String(first),
        '--clients',
        String(n),
        '--steady-edits',
        String(f.rate * f.seconds),
        '--ack-port',
        port,
      ];
      return startWorker<unknown>(`fanout clients ${i + 1}`, 'fanout-clients.ts', args, 150_000);
    });
    const started = await Promise.allSettled(starts);
    for (const r of started) if (r.status === 'fulfilled') readers.push(r.value);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const r = await writer.result;
    await Promise.all(readers.map((w) => w.result));
    if (!usage) throw new Error('the client workload did not report its saturation phase');
    const edits = r.saturation.editsPerSec * f.saturateSeconds;
    const cpuPercent = usage.server.reduce((s, u) => s + u.cpuPercent, 0);
    return {
      ...r,
      serverCpuMsPerEdit: ((cpuPercent / 100) * f.saturateSeconds * 1000) / Math.max(1, edits),
      serverCpuPercent: cpuPercent,
      serverRssMiB: usage.server.reduce((s, u) => s + u.peakRssMiB, 0),
      clientCpuPercent: usage.clients.map((u) => u.cpuPercent),
      writerCpuPercent: usage.writer?.cpuPercent ?? Number.NaN,
    };
  } finally {
    await Promise.all([writer, ...readers].map((w) => w.stop()));
  }
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
