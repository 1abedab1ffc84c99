import { ConfigError, parseConfig } from './config';
import { createApp } from './app';
import { runInit } from './init-command';
import { DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS } from '@cr/shared';

/**
 * `npm run cloud -- init --data DIR --tenant ID --tenant-name NAME --admin EMAIL` creates a tenant
 * and exits; `npm run cloud -- [--port N] [--data DIR] [--demo] [--ui DIR] [--link-timeout-ms N]
 * [--retention-days N] [--command-ttl-ms N] [--host H]` serves.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'init') {
    // Nothing is left open once it returns: the process ends as soon as its output is written.
    process.exitCode = await runInit(argv.slice(1), process.env, {
      out: (l) => console.log(l),
      err: (l) => console.error(l),
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
      console.error(`cloud: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const cloud = await createApp(config);
  const { url } = await cloud.listen();
  if (config.demo) {
    console.log(
      `demo logins (password ${DEMO_PASSWORD}): ${DEMO_USERS.map((u) => `${u.email} (${u.role})`).join(', ')}`,
    );
    for (const [site, token] of Object.entries(cloud.demoEdgeTokens)) console.log(`edge token ${site}: ${token}`);
  } else if (cloud.ctx.tenants.hasTenant(DEMO_TENANT.id)) {
    // Threat: a real deployment on a data directory once started with --demo keeps logins whose
    // password is published in the README.
    console.error(
      `cloud: warning: ${config.dataDir} holds the demo tenant and its published logins; serve a real tenant from a fresh --data`,
    );
  } else if (cloud.ctx.tenants.tenantIds().length === 0) {
    console.error(
      'cloud: no tenant yet: create one with `npm run cloud -- init --data DIR --tenant ID --tenant-name NAME --admin EMAIL`',
    );
  }
  console.log(`cloud listening on ${url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`cloud: ${signal}, flushing and stopping`);
    cloud
      .close()
      .then(() => process.exit(0))
      .catch((err: Error) => {
        console.error(`cloud: shutdown failed: ${err.message}`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: Error) => {
  console.error(`cloud: failed to start: ${err.message}`);
  process.exit(1);
});
