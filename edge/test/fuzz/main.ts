/**
 * The full fuzz run against a real edge process:
 *   npm run fuzz [-- --seed N] [--slice] [--mqtt N] [--http N] [--ws N] [--mqtt-raw N] [--no-cloud]
 * The seed comes from --seed, else FUZZ_SEED, else the fixed default; it is printed first. Prints the
 * counts per surface and exits 1 on any failure (crash, forged delivery, liveness, effects), 2 on bad flags.
 * It lives beside the suite rather than in edge/src/tools because it drives test support code.
 */
import { parseArgs } from 'node:util';
import { FULL_SIZE, seedFrom, SLICE_SIZE, type FuzzSize } from './fuzz-site';
import { failuresOf, formatReport } from './report';
import { runFuzz } from './runner';

function options(): { seed: number; size: FuzzSize; withCloud: boolean } {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      slice: { type: 'boolean' },
      mqtt: { type: 'string' },
      'mqtt-raw': { type: 'string' },
      http: { type: 'string' },
      ws: { type: 'string' },
      'no-cloud': { type: 'boolean' },
    },
  });
  const base = values.slice ? SLICE_SIZE : FULL_SIZE;
  const n = (v: string | undefined, d: number): number => {
    if (v === undefined) return d;
    const x = Number(v);
    if (!Number.isSafeInteger(x) || x < 0) throw new Error(`not a count: ${v}`);
    return x;
  };
  return {
    seed: seedFrom(process.env, values.seed),
    size: {
      mqtt: n(values.mqtt, base.mqtt),
      mqttRaw: n(values['mqtt-raw'], base.mqttRaw),
      http: n(values.http, base.http),
      ws: n(values.ws, base.ws),
    },
    withCloud: !values['no-cloud'],
  };
}

async function main(): Promise<void> {
  let opts;
  try {
    opts = options();
  } catch (err) {
    process.stderr.write(`fuzz: ${(err as Error).message}\n`);
    process.exit(2);
  }
  process.stdout.write(
    `fuzz seed ${opts.seed}: mqtt ${opts.size.mqtt} (+${opts.size.mqttRaw} raw), http ${opts.size.http}, ws ${opts.size.ws}\n`,
  );
  const report = await runFuzz({ ...opts, log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`${formatReport(report)}\n`);
  process.exit(failuresOf(report).length ? 1 : 0);
}

void main().catch((err: unknown) => {
  process.stderr.write(`fuzz: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
