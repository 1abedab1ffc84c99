import { parseArgs } from 'node:util';

/** Worker side of `startWorker`: flags in, one `READY` line, one `RESULT {json}` line out. */
export function workerFlags<K extends string>(names: readonly K[]): Record<K, string> {
  const { values } = parseArgs({ options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])), strict: true });
  const out = {} as Record<K, string>;
  for (const n of names) {
    const v = values[n];
    if (typeof v !== 'string') {
      process.stderr.write(`worker: --${n} is required\n`);
      process.exit(2);
    }
    out[n] = v;
  }
  return out;
}

export const ready = (what = ''): void => void process.stdout.write(`READY ${what}\n`);

export function finish(result: unknown): never {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

/** A worker that fails says why on stderr and exits non-zero; the scenario reports it. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: Error) => {
    process.stderr.write(`worker failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
