import { fileURLToPath } from 'node:url';
import { startService, type Service, type ServiceSpec } from '@cr/demo/processes';

/** The last lines a service printed, shown when a scenario fails. */
class LineTail {
  readonly lines: string[] = [];
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > 40) this.lines.shift();
  }
}

export interface Running {
  service: Service;
  pid: number;
  tail: string[];
  stop(): Promise<void>;
}

const VERBOSE = process.env.BENCH_VERBOSE === '1';
const PROFILE_PRELOAD = fileURLToPath(new URL('./cpu-profile.mjs', import.meta.url));

/** With BENCH_PROFILE_DIR set, every service writes a CPU profile there when it exits. */
function profilingEnv(): Record<string, string> {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${PROFILE_PRELOAD}`.trim(), BENCH_PROFILE_DIR: dir } : {};
}

/** Starts a TypeScript entry point in its own process (tsx) and waits for its ready lines. */
export async function run(spec: Omit<ServiceSpec, 'onLine'>, onLine?: ServiceSpec['onLine']): Promise<{ running: Running; matches: RegExpMatchArray[] }> {
  const tail = new LineTail();
  const service = startService({
    ...spec,
    env: { ...spec.env, ...profilingEnv() },
    onLine: (line, stream) => {
      tail.push(`${stream === 'stderr' ? '! ' : ''}${line}`);
      if (VERBOSE) console.log(`  [${spec.name}] ${line}`);
      onLine?.(line, stream);
    },
  });
  const running: Running = { service, pid: service.child.pid ?? -1, tail: tail.lines, stop: async () => void (await service.stop(3000)) };
  try {
    return { running, matches: await service.ready };
  } catch (err) {
    await service.kill();
    throw new Error(`${(err as Error).message}\n    ${tail.lines.slice(-10).join("\n    ")}`, { cause: err });
  }
}

export interface CloudProcess extends Running {
  url: string;
}

/** The real cloud (`sync-server/src/main.ts`) on a free port with demo data in `dataDir`. */
export async function startCloud(dataDir: string, extraArgs: string[] = []): Promise<CloudProcess> {
  const { running, matches } = await run({
    name: 'cloud',
    entry: 'sync-server/src/main.ts',
    args: ['--port', '0', '--demo', '--data', dataDir, ...extraArgs],
    ready: [/cloud listening on (http:\/\/\S+)/],
    readyTimeoutMs: 60_000,
  });
  return { ...running, url: matches[0]![1]! };
}

export interface EdgeProcess extends Running {
  mqttUrl: string;
  httpUrl: string;
}

/** The real edge gateway (`edge/src/main.ts`) with its embedded broker and local API on free ports. */
export async function startEdge(siteId: string, dataDir: string, link?: { cloudUrl: string; token: string }, extraArgs: string[] = []): Promise<EdgeProcess> {
  const { running, matches } = await run({
    name: `edge ${siteId}`,
    entry: 'edge/src/main.ts',
    // Benchmarks admit their simulated devices as they announce themselves (commissioning window).
    // An external broker (`--mqtt-url` among the extra flags) replaces the embedded one.
    args: ['--site', siteId, ...(extraArgs.includes('--mqtt-url') ? [] : ['--mqtt-port', '0']), '--http-port', '0', '--data', dataDir, '--quiet', '--commissioning', ...(link ? ['--cloud', link.cloudUrl, '--token', link.token] : []), ...extraArgs],
    ready: [new RegExp(`edge ${siteId} mqtt on (mqtt://\\S+)`), new RegExp(`edge ${siteId} http on (http://\\S+)`)],
    readyTimeoutMs: 60_000,
  });
  return { ...running, mqttUrl: matches[0]![1]!, httpUrl: matches[1]![1]! };
}

export interface Worker<T> extends Running {
  /** resolves with the worker's `RESULT` once it exits */
  result: Promise<T>;
}

/**
 * Starts a bench worker (a load generator in its own process) and waits until it prints `READY`.
 * It prints `RESULT {json}` when done; `result` resolves with it, or rejects if the worker
 * exits without one or runs past `timeoutMs`.
 */
export async function startWorker<T>(name: string, entry: string, args: string[], timeoutMs: number, onLine?: (line: string) => void): Promise<Worker<T>> {
  let result: T | undefined;
  const { running } = await run(
    { name, entry: `bench/src/workers/${entry}`, args, ready: [/^READY/], readyTimeoutMs: timeoutMs },
    (line, stream) => {
      if (stream === 'stdout' && line.startsWith('RESULT ')) result = JSON.parse(line.slice(7)) as T;
      else if (stream === 'stdout') onLine?.(line);
    },
  );
  const timer = setTimeout(() => void running.service.kill(), timeoutMs);
  const done = running.service.exited.then((code) => {
    clearTimeout(timer);
    if (result === undefined) throw new Error(`${name} exited (${code}) without a result\n    ${running.tail.slice(-10).join('\n    ')}`);
    return result;
  });
  done.catch(() => undefined);
  return { ...running, result: done };
}

export async function runWorker<T>(name: string, entry: string, args: string[], timeoutMs: number): Promise<T> {
  return (await startWorker<T>(name, entry, args, timeoutMs)).result;
}
