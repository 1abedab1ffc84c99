import { run, type Running } from './services';
import { sleep } from './wait';

export interface StoppableWorker<T> extends Running {
  /** SIGTERM: the worker stops its load, prints `RESULT {json}` and exits; resolves with that result */
  finish(): Promise<T>;
}

/**
 * A bench worker that runs until told to stop (SIGTERM) rather than for a fixed time, for load that
 * must last exactly as long as something the scenario measures. Waits for its `READY` line. The
 * worker kills itself after its own `--max-seconds`; `killAfterMs` is the scenario's backstop.
 */
export async function startStoppableWorker<T>(name: string, entry: string, args: string[], killAfterMs: number, opts: { readyTimeoutMs?: number; onLine?: (line: string) => void } = {}): Promise<StoppableWorker<T>> {
  let result: T | undefined;
  let seen: () => void = () => undefined;
  const resultSeen = new Promise<void>((resolve) => (seen = resolve));
  const { running } = await run({ name, entry: `bench/src/workers/${entry}`, args, ready: [/^READY/], readyTimeoutMs: opts.readyTimeoutMs ?? 30_000 }, (line, stream) => {
    if (stream === 'stdout' && line.startsWith('RESULT ')) {
      result = JSON.parse(line.slice(7)) as T;
      seen();
    } else if (stream === 'stdout') opts.onLine?.(line);
  });
  const backstop = setTimeout(() => void running.service.kill(), killAfterMs);
  void running.service.exited.then(() => clearTimeout(backstop));
  return {
    ...running,
    async finish(): Promise<T> {
      const code = await running.service.stop(5000);
      // The exit can be reported before the last stdout line is read.
      await Promise.race([resultSeen, sleep(2000)]);
      if (result === undefined) throw new Error(`${name} exited (${code}) without a result\n    ${running.tail.slice(-10).join('\n    ')}`);
      return result;
    },
  };
}
