import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** Repository root, so services start the same way from any working directory. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServiceSpec {
  /** short name for logs, e.g. `edge gangnam` */
  name: string;
  /** entry point relative to the repository root: TypeScript (run with tsx) or built JavaScript (`.js`, run by Node alone) */
  entry: string;
  args: string[];
  env?: Record<string, string>;
  /** lines that must all appear on stdout before the service counts as ready */
  ready: RegExp[];
  readyTimeoutMs?: number;
  /** every stdout/stderr line, for logs */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface Service {
  readonly spec: ServiceSpec;
  readonly child: ChildProcess;
  /** the match of each `ready` pattern, in order */
  readonly ready: Promise<RegExpMatchArray[]>;
  /** resolves with the exit code (or signal name) when the process ends */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs` */
  stop(graceMs?: number): Promise<number | string>;
  /** kill -9, as a power cut or a crash would */
  kill(): Promise<number | string>;
}

/** Starts a service in its own process and watches for its ready lines. */
export function startService(spec: ServiceSpec): Service {
  const loader = spec.entry.endsWith('.js') ? ['--enable-source-maps'] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...loader, join(REPO_ROOT, spec.entry), ...spec.args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const matches: Array<RegExpMatchArray | undefined> = spec.ready.map(() => undefined);
  const ready = new Promise<RegExpMatchArray[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${spec.name} was not ready within ${spec.readyTimeoutMs ?? 30_000} ms`)),
      spec.readyTimeoutMs ?? 30_000,
    );
    const check = (line: string): void => {
      spec.ready.forEach((re, i) => {
        const m = matches[i] === undefined ? line.match(re) : null;
        if (m) matches[i] = m;
      });
      if (matches.every((m) => m !== undefined)) {
        clearTimeout(timer);
        resolve(matches as RegExpMatchArray[]);
      }
    };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      spec.onLine?.(line, 'stdout');
      check(line);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => spec.onLine?.(line, 'stderr'));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${spec.name} exited (${code}) before it was ready`));
    });
  });
  ready.catch(() => undefined);

  const stop = async (graceMs = 5000): Promise<number | string> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const kill = async (): Promise<number | string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exited;
  };
  return { spec, child, ready, exited, stop, kill };
}
