import { BurstLog, type Logger } from './log';
import { uncaughtErrorsTotal } from './metrics';

export type FaultOrigin = 'uncaughtException' | 'unhandledRejection';

export interface ProcessGuard {
  /** Startup is over: from now on a stray error is logged, counted and survived. */
  started(): void;
  /** What the process handlers call; exposed so the policy is testable without killing a test runner. */
  handle(err: unknown, origin: FaultOrigin): void;
  /** Removes the process handlers (tests). */
  uninstall(): void;
}

export interface GuardOptions {
  /** counts a survived fault; defaults to `edge_uncaught_errors_total` */
  count?: (origin: FaultOrigin) => void;
  exit?: (code: number) => void;
}

/** Node error codes after which this process can no longer be trusted to decide who opens a door. */
const BROKEN_CODES = new Set(['ERR_INTERNAL_ASSERTION', 'ERR_WORKER_OUT_OF_MEMORY', 'ERR_OUT_OF_MEMORY']);

/** True for faults that mean the runtime itself is failing (memory exhausted, Node's own invariants broken). */
export function meansBroken(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && BROKEN_CODES.has(code)) return true;
  return err instanceof RangeError && /allocation failed|out of memory/i.test(err.message);
}

/** The error's first line and the first frames of its stack, for one log line. */
export function faultParts(err: unknown): { head: string; frames: string } {
  const e = err instanceof Error ? err : new Error(`non-error value: ${String(err).slice(0, 200)}`);
  const [, ...frames] = (e.stack ?? '').split('\n', 4).map((l) => l.trim());
  return { head: `${e.name}: ${e.message}`.slice(0, 300), frames: frames.join(' | ').slice(0, 400) };
}

/**
 * The policy, without touching `process`. A gateway that dies on a stray error locks every reader
 * of the site out of its decisions until someone restarts it, and one crafted request must never
 * be able to do that. So after startup an uncaught error costs the operation that raised it only:
 * logged (bursts folded), counted, and the process keeps serving. Every durable state change is a
 * SQLite transaction, so an interrupted handler leaves no half-written state behind. Exits only
 * (a) during startup, where a half-started gateway would hold its ports while serving nothing and
 * a supervisor restart is the remedy, and (b) when the runtime itself is failing (see meansBroken).
 */
export function createProcessGuard(log: Logger, opts: GuardOptions = {}): Omit<ProcessGuard, 'uninstall'> {
  const count = opts.count ?? ((origin: FaultOrigin) => uncaughtErrorsTotal.inc({ origin }));
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  // Error level, folded per message: an error loop must not fill the disk with the same line.
  const burst = new BurstLog({ ...log, warn: (m, fields) => log.error(m, fields) });
  let running = false;
  return {
    started: () => void (running = true),
    handle(err, origin) {
      const { head, frames } = faultParts(err);
      if (!running || meansBroken(err)) {
        log.error(
          `${origin} ${running ? 'that leaves the process broken' : 'during startup'}, exiting: ${head} | ${frames}`,
        );
        return exit(running ? 1 : 2);
      }
      count(origin);
      burst.warn(`${origin} (gateway kept running) ${head}`, frames);
    },
  };
}

/** Registers the guard on `process`; call before `startEdge`, then `started()` once it is up. */
export function installProcessGuard(log: Logger, opts: GuardOptions = {}): ProcessGuard {
  const guard = createProcessGuard(log, opts);
  const onException = (err: Error): void => guard.handle(err, 'uncaughtException');
  const onRejection = (reason: unknown): void => guard.handle(reason, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return {
    ...guard,
    uninstall() {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    },
  };
}
