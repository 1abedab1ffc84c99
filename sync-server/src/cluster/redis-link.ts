import { Redis, type RedisOptions } from 'ioredis';
import type { CloudLog } from '../log';

/**
 * How every connection to the bus behaves. A command waits for a reconnect only until the next
 * failed attempt (at most about a second, plus the connect timeout) and then fails: a publish to a
 * Redis that is down rejects quickly instead of hanging, and a blocking read in flight when the
 * connection drops fails at once instead of being replayed later.
 */
const OPTIONS: RedisOptions = {
  lazyConnect: true,
  maxRetriesPerRequest: 0,
  connectTimeout: 3_000,
  retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
  enableReadyCheck: true,
  // Each bus subscribes again itself after a reconnect, and hears when that fails.
  autoResubscribe: false,
};

/** Where a Redis URL points (host, port, database), never its user or password. */
export function whereOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}:${u.port || '6379'}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** One connection of a bus to Redis. */
export interface BusConnection {
  readonly redis: Redis;
  /** Calls `fn` each time the connection is ready again after it was lost. */
  onReconnect(fn: () => void): void;
  /** Closes at once; whatever is in flight fails. */
  close(): void;
}

/**
 * What a connection is for. A blocking reader queues nothing while Redis is away: a read asked for
 * then fails at once, so the first read after a reconnect is one asked for knowing of it.
 */
export type ConnectionUse = 'commands' | 'subscriber' | 'reader';

/**
 * Opens one connection per use to `url`, each ready when this resolves; if any does not connect,
 * none stays open. The bus says in the log once when it loses Redis and once when Redis answers again.
 */
export async function connectBus(url: string, uses: ConnectionUse[], log: CloudLog, what: string): Promise<BusConnection[]> {
  const where = `${what} at ${whereOf(url)}`;
  const first = new Redis(url, OPTIONS);
  const all = uses.map((use, i) =>
    i === 0 && use !== 'reader' ? first : first.duplicate(use === 'reader' ? { enableOfflineQueue: false } : {}),
  );
  const health = busHealth(log, where, all.length);
  const conns = all.map((redis, i) => watch(redis, health, i));
  try {
    await Promise.all(all.map((r) => r.connect()));
  } catch (err) {
    for (const c of conns) c.close();
    if (!all.includes(first)) first.disconnect();
    throw new Error(`${what}: Redis at ${whereOf(url)} does not answer (${(err as Error).message})`, { cause: err });
  }
  if (!all.includes(first)) first.disconnect();
  return conns;
}

/** Which of a bus's connections have lost Redis: logged when the first goes, and when the last is back. */
function busHealth(log: CloudLog, where: string, count: number) {
  const down = new Set<number>();
  return {
    lost(i: number, reason?: string) {
      if (down.size === 0) log.warn(`cluster: ${where} lost${reason ? `: ${reason}` : ''}`);
      down.add(i);
    },
    back(i: number) {
      if (!down.delete(i) || down.size > 0) return;
      log.info(`cluster: ${where} answers again${count > 1 ? ' on every connection' : ''}`);
    },
  };
}

function watch(redis: Redis, health: ReturnType<typeof busHealth>, i: number): BusConnection {
  const listeners: Array<() => void> = [];
  let readyOnce = false;
  let lost = false;
  let closing = false;
  const lose = (reason?: string) => {
    if (lost || !readyOnce || closing) return;
    lost = true;
    health.lost(i, reason);
  };
  redis.on('error', (err: Error) => lose(err.message));
  redis.on('close', () => lose());
  redis.on('ready', () => {
    if (!readyOnce) {
      readyOnce = true;
      return;
    }
    lost = false;
    health.back(i);
    for (const fn of listeners) fn();
  });
  return {
    redis,
    onReconnect: (fn) => void listeners.push(fn),
    close() {
      closing = true;
      redis.disconnect();
    },
  };
}

/**
 * A log line at most every `everyMs`, counting what happened meanwhile, so a flood of garbage or
 * a Redis that stays away cannot flood the log.
 */
function throttled(log: CloudLog, line: (count: number, latest: string) => string, everyMs: number): (latest: string) => void {
  let lastAt = 0;
  let since = 0;
  return (latest) => {
    since++;
    const now = Date.now();
    if (now - lastAt < everyMs) return;
    log.warn({ count: since }, line(since, latest));
    lastAt = now;
    since = 0;
  };
}

/** Where messages that cannot be read are reported (and skipped). */
export const skippedLog = (log: CloudLog, what: string, everyMs = 10_000): ((reason: string) => void) =>
  throttled(log, (n, latest) => `cluster: skipped ${n} unreadable message${n === 1 ? '' : 's'} on ${what} (latest: ${latest})`, everyMs);

/** Where requests to Redis that failed are reported. */
export const failuresLog = (log: CloudLog, what: string, everyMs = 10_000): ((reason: string) => void) =>
  throttled(log, (n, latest) => `cluster: ${n} failure${n === 1 ? '' : 's'} of ${what} (latest: ${latest})`, everyMs);

/** Runs a listener so that its failure is logged and never reaches the bus. */
export function callSafely(log: CloudLog, what: string, call: () => unknown): void {
  try {
    const out = call();
    if (out instanceof Promise) out.catch((err: unknown) => log.error(`cluster: ${what} failed: ${(err as Error)?.message}`));
  } catch (err) {
    log.error(`cluster: ${what} failed: ${(err as Error)?.message}`);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());
