import { existsSync } from 'node:fs';

/** libfaketime as Debian installs it (`apt-get install faketime`). */
export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

/**
 * Suites that run a process on a simulated clock need libfaketime. Where it is missing the suite
 * says so in one line and does not run, unless `CR_REQUIRE_SERVICES=1` (CI sets it and installs it).
 */
export function fakeClockAvailable(): boolean {
  if (existsSync(LIBFAKETIME)) return true;
  const line = `libfaketime is not installed (${LIBFAKETIME}): suites on a simulated clock did not run`;
  if (process.env.CR_REQUIRE_SERVICES === '1') throw new Error(`${line} (CR_REQUIRE_SERVICES=1)`);
  console.warn(`[services] ${line}`);
  return false;
}

/**
 * The environment that runs a child process's clock `rate` times faster than real time from now on
 * (wall clock and monotonic clock alike, so its timers fire at the simulated pace).
 */
export function fastClockEnv(rate: number): Record<string, string> {
  return { LD_PRELOAD: LIBFAKETIME, FAKETIME: `+0 x${rate}`, FAKETIME_NO_CACHE: '1' };
}
