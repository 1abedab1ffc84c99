/** Flags of `npm start`. */
export interface StartOptions {
  port: number;
  reset: boolean;
  rate: number;
  help: boolean;
}

export const START_USAGE = `usage: npm start [-- --port N] [--rate R] [--reset]
  --port N   cloud port (default 8080)
  --rate R   simulated events per second per site (default 2)
  --reset    delete the demo's data folder (.data/demo) before starting`;

/** Parses flags; throws an Error with a one-line message on anything unknown or malformed. */
export function parseStartOptions(argv: readonly string[]): StartOptions {
  const opts: StartOptions = { port: 8080, reset: false, rate: 2, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): number => {
      const raw = argv[++i];
      const n = Number(raw);
      if (raw === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${arg} needs a non-negative number`);
      return n;
    };
    if (arg === '--reset') opts.reset = true;
    else if (arg === '--help' || arg === '-h') opts.help = true;
    else if (arg === '--port') opts.port = Math.trunc(value());
    else if (arg === '--rate') opts.rate = value();
    else throw new Error(`unknown flag ${arg}`);
  }
  if (opts.port > 65535) throw new Error('--port must be at most 65535');
  return opts;
}
