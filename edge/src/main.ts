import { ConfigError, HelpRequested, parseEdgeConfig } from './config';
import { startEdge } from './edge';
import { createLogger } from './log';
import { installProcessGuard } from './process-guard';

/** `npm run edge -- --site ID …`: prints the ready lines of CONTRACT.md §1 on stdout. */
async function main(): Promise<void> {
  let config;
  try {
    config = parseEdgeConfig(process.argv.slice(2));
  } catch (err) {
    if (err instanceof HelpRequested) {
      process.stdout.write(`${err.usage}\n`);
      process.exit(0);
    }
    if (!(err instanceof ConfigError)) throw err;
    // A person typed the flags: one plain line, not a log entry.
    process.stderr.write(`edge: ${err.message}\n`);
    process.exit(2);
  }
  const log = createLogger({ site: config.siteId, quiet: config.quiet });
  // Before anything opens a socket: no stray error (a malformed LAN request, a dropped link) may take the gateway down.
  const guard = installProcessGuard(log);
  let edge;
  try {
    edge = await startEdge(config, log);
  } catch (err) {
    log.error(`cannot start: ${(err as Error).message}`);
    process.exit(2);
  }
  guard.started();
  process.stdout.write(`edge ${config.siteId} mqtt on ${edge.mqttUrl}\n`);
  process.stdout.write(`edge ${config.siteId} http on ${edge.httpUrl}\n`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}, flushing and closing`, { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    edge.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error(`close failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
