/**
 * When a renderer dies (GPU reset, out of memory) a 24/7 console reloads itself, but a renderer
 * that crashes in a loop must not spin the machine: back off, and stop after too many crashes.
 */
export interface CrashPolicy {
  /** crashes tolerated inside `windowMs` before giving up */
  maxCrashes: number;
  windowMs: number;
  baseDelayMs: number;
}

export const DEFAULT_CRASH_POLICY: CrashPolicy = { maxCrashes: 5, windowMs: 5 * 60_000, baseDelayMs: 1_000 };

export type CrashDecision = { action: 'reload'; delayMs: number } | { action: 'give-up' };

/** Decides what to do after a crash at `now`, given earlier crash times of the same window. */
export function afterCrash(previous: readonly number[], now: number, policy: CrashPolicy = DEFAULT_CRASH_POLICY): CrashDecision {
  const recent = previous.filter((t) => now - t < policy.windowMs && t <= now);
  if (recent.length >= policy.maxCrashes) return { action: 'give-up' };
  return { action: 'reload', delayMs: policy.baseDelayMs * 2 ** recent.length };
}

/** Render-process-gone reasons that are not crashes (the user or main ended it). */
export function isCrash(reason: string): boolean {
  return reason !== 'clean-exit' && reason !== 'killed';
}
