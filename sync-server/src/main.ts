import { ConfigError, parseConfig } from './config';
import { createApp } from './app';
import { DEMO_PASSWORD, DEMO_USERS } from '@cr/shared';

/** `npm run cloud -- [--port N] [--data DIR] [--demo] [--ui DIR] [--link-timeout-ms N] [--retention-days N] [--command-ttl-ms N] [--host H]` */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2));
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
