import { ConfigError, parseConfig } from './config';
import { createApp } from './app';
import { runInit } from './init-command';
import { ServiceUnreachable } from './service-unreachable';
import { createCloudLog } from './log';
import { DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS } from '@cr/shared';

/** A line of the CLI's output on stdout, which other tools parse (`cloud listening on …`); logs go to stderr. */
const print = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * `npm run cloud -- init --data DIR --tenant ID --tenant-name NAME --admin EMAIL` creates a tenant
 * and exits; `npm run cloud -- [--port N] [--data DIR] [--demo] [--ui DIR] [--link-timeout-ms N]
 * [--retention-days N] [--command-ttl-ms N] [--host H] [--log-level LEVEL]` serves.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'init') {
    // Nothing is left open once it returns: the process ends as soon as its output is written.
    process.exitCode = await runInit(argv.slice(1), process.env, {
      out: print,
      err: (l) => void process.stderr.write(`${l}\n`),
    });
    return;
  }
  await serve(argv);
}

async function serve(argv: string[]): Promise<void> {
  let config;
  try {
    config = parseConfig(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      // A person typed the flags: one plain line, not a log entry.
      process.stderr.write(`cloud: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createCloudLog({ level: config.logLevel });
  let cloud;
  try {
    cloud = await createApp(config, {}, log);
  } catch (err) {
    if (!(err instanceof ServiceUnreachable)) throw err;
    process.stderr.write(`cloud: ${err.message}\n`);
    process.exit(1);
  }
  const { url } = await cloud.listen();
  if (config.demo) {
    // Demo only: the published logins and the demo sites' edge tokens, for the tools that start edges.
    print(`demo logins (password ${DEMO_PASSWORD}): ${DEMO_USERS.map((u) => `${u.email} (${u.role})`).join(', ')}`);
    for (const [site, token] of Object.entries(cloud.demoEdgeTokens)) print(`edge token ${site}: ${token}`);
  } else if (await cloud.ctx.tenants.hasTenant(DEMO_TENANT.id)) {
    // Threat: a real deployment on a data directory once started with --demo keeps logins whose
    // password is published in the README.
    log.warn(
      { dataDir: config.dataDir },
      `${config.dataDir} holds the demo tenant and its published logins; serve a real tenant from a fresh --data`,
    );
  } else if ((await cloud.ctx.tenants.tenantIds()).length === 0) {
    log.warn(
      'no tenant yet: create one with `npm run cloud -- init --data DIR --tenant ID --tenant-name NAME --admin EMAIL`',
    );
  }
  print(`cloud listening on ${url}`);
  log.info({ url }, `cloud listening on ${url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${signal}, flushing and stopping`);
    cloud
      .close()
      .then(() => process.exit(0))
      .catch((err: Error) => {
        log.error({ err }, `shutdown failed: ${err.message}`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: Error) => {
  createCloudLog().fatal({ err }, `cloud: failed to start: ${err.message}`);
  process.exit(1);
});
