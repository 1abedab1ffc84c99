// The UI tour's cloud: the real cloud (`sync-server/src/main.ts` flags, demo data), except that a
// notification nobody accepts is given up after 15 seconds instead of an hour, so the tour can show
// a dead letter, and that hongdae's devices have a week of availability history (seeded once) for
// the fleet view. Prints the same lines as the cloud's CLI, which system.mjs waits for.
import { createApp } from '@cr/sync-server/src/app';
import { parseConfig } from '@cr/sync-server/src/config';
import { MAX_TRANSITIONS_PER_DEVICE } from '@cr/sync-server/src/domain/device-availability';
import { fleetHistory } from './tour-fleet-plan';

const cloud = await createApp(parseConfig(process.argv.slice(2)), {
  notifications: {
    timeoutMs: 2_000,
    retry: { baseDelayMs: 1_000, maxDelayMs: 4_000, jitter: 0.1, retryForMs: 15_000 },
    breaker: { failureThreshold: 100, coolDownMs: 1_000 },
  },
});
const history = cloud.ctx.stores.deviceAvailability;
if ((await history.latest('demo', 'hongdae')).length === 0) await history.append('demo', 'hongdae', fleetHistory('hongdae', Date.now()), MAX_TRANSITIONS_PER_DEVICE);
const { url } = await cloud.listen();
for (const [site, token] of Object.entries(cloud.demoEdgeTokens)) process.stdout.write(`edge token ${site}: ${token}\n`);
process.stdout.write(`cloud listening on ${url}\n`);
const stop = (): void => void cloud.close().then(() => process.exit(0), () => process.exit(1));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
