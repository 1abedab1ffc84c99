import { parseArgs } from 'node:util';
import { openEventStream } from '../cluster/event-stream';
import { createCloudLog } from '../log';
import { openPostgres } from '../store/postgres/pg-db';
import { PgEventsStore } from '../store/postgres/pg-events-store';

/**
 * An instance that stores the stream's events in PostgreSQL and then stalls before acknowledging
 * them, so that a kill -9 lands between the commit and the ack:
 * `--nats URL --stream NAME --prefix P --store postgres://… --ack-wait MS`.
 * Prints `event writer ready`, then `stored <n> of <m>` after each commit.
 */
const { values } = parseArgs({
  options: {
    nats: { type: 'string' },
    stream: { type: 'string' },
    prefix: { type: 'string' },
    store: { type: 'string' },
    'ack-wait': { type: 'string' },
  },
});

const pg = await openPostgres(values.store!, { max: 2 });
const events = new PgEventsStore(pg);
const stream = await openEventStream(values.nats!, {
  stream: values.stream!,
  subjectPrefix: values.prefix!,
  ackWaitMs: Number(values['ack-wait']),
  log: createCloudLog({ level: 'warn' }),
});
stream.consume(async (tenantId, siteId, batch) => {
  const r = await events.insertBatch(tenantId, siteId, batch);
  console.log(`stored ${r.stored} of ${batch.length}`);
  await new Promise<never>(() => undefined);
});
console.log('event writer ready');
