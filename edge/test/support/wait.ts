import { waitUntil } from '@cr/demo';

/** Polls `check` until it returns a truthy value or the deadline passes; the demo tooling's poller with the edge tests' tighter defaults. */
export function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5_000, everyMs = 10): Promise<NonNullable<T>> {
  return waitUntil(check, what, timeoutMs, everyMs);
}
