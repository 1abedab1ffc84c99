import { execFileSync } from 'node:child_process';

/**
 * Suites that need PostgreSQL, Redis or NATS find them at their standard local addresses. Where
 * one does not answer, the suite says so in one line and does not run, unless
 * `CR_REQUIRE_SERVICES=1` (CI sets it): then a missing service fails the run instead of passing silently.
 */
export function serviceGate(service: string, url: string): { available(): boolean } {
  let known: boolean | undefined;
  return {
    available() {
      if (known !== undefined) return known;
      known = portOpen(url);
      if (!known) {
        const line = `${service} does not answer at ${redact(url)}: its suites did not run`;
        if (process.env.CR_REQUIRE_SERVICES === '1') throw new Error(`${line} (CR_REQUIRE_SERVICES=1)`);
        console.warn(`[services] ${line}`);
      }
      return known;
    },
  };
}

const DEFAULT_PORTS: Record<string, number> = { 'postgres:': 5432, 'postgresql:': 5432, 'redis:': 6379, 'nats:': 4222 };

/** Vitest collects suites synchronously: a child process tries the TCP port once, before any test runs. */
function portOpen(url: string): boolean {
  const u = new URL(url);
  const port = Number(u.port) || DEFAULT_PORTS[u.protocol] || 0;
  const host = u.hostname || '127.0.0.1';
  const src = `require('node:net').connect(${port}, ${JSON.stringify(host)})
    .on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  try {
    execFileSync(process.execPath, ['-e', src], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

const redact = (url: string): string => url.replace(/\/\/[^@/]*@/, '//');
