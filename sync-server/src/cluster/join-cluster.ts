import { randomUUID } from 'node:crypto';
import type { CloudLog } from '../log';
import type { DocRegistry } from '../sync/doc-registry';
import type { LinkHub } from '../edge-link/link-hub';
import { openRedisDocBus, type DocBus } from './doc-bus';
import { openRedisInstanceBus, type InstanceBus } from './instance-bus';

/** How often every loaded document is checked against the store for what the fan-out lost. */
export const CATCH_UP_MS = 5_000;

/** This instance's place among the others: the buses it talks on and how to leave. */
export interface ClusterMembership {
  instanceId: string;
  docBus: DocBus;
  instanceBus: InstanceBus;
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** Redis key prefix shared by the instances of one deployment */
  prefix?: string;
  catchUpMs?: number;
  deliverTimeoutMs?: number;
}

/** Redis key prefix of a deployment that names none. */
const PREFIX = 'cr';

/**
 * Joins the other instances over Redis (CONTRACT §10): document changes they stored are applied
 * here as they arrive, presence of their peers is shown to ours, and everything the fan-out may
 * have lost (a Redis restart, a partition, a trimmed stream) is read back from the shared store
 * at once and every CATCH_UP_MS; messages for edge links held by another instance are routed
 * there. Redis only carries news: the store stays the truth.
 */
export async function joinCluster(
  busUrl: string,
  deps: { docs: DocRegistry; hub: LinkHub; log: CloudLog },
  instanceId: string = `cloud-${randomUUID().slice(0, 8)}`,
  opts: ClusterOptions = {},
): Promise<ClusterMembership> {
  const { docs, hub, log } = deps;
  const prefix = opts.prefix ?? PREFIX;
  const docBus = await openRedisDocBus(busUrl, { prefix, instanceId, log });
  let instanceBus: InstanceBus;
  try {
    instanceBus = await openRedisInstanceBus(busUrl, { prefix, instanceId, log, deliverTimeoutMs: opts.deliverTimeoutMs });
  } catch (err) {
    await docBus.close();
    throw err;
  }
  docBus.onUpdate((m) => docs.applyRemote(m.doc, m.update));
  docBus.onAwareness((m) => docs.applyRemoteAwareness(m.doc, m.update));
  const catchUp = catchingUp(docs, log);
  docBus.onResync(() => {
    catchUp.now();
    // Permission changes announced while the bus was away reach this instance's edges now.
    hub.pushAllLocal().catch((err: Error) => log.warn(`cluster: permissions not brought up to date: ${err.message}`));
  });
  const timer = setInterval(catchUp.now, opts.catchUpMs ?? CATCH_UP_MS);
  timer.unref();
  hub.useRouter(instanceBus);
  docs.useFanout(docBus);
  // Documents loaded before joining may have missed what others stored meanwhile.
  catchUp.now();
  log.info({ instanceId }, `cluster: instance ${instanceId} joined over Redis`);
  return {
    instanceId,
    docBus,
    instanceBus,
    async close() {
      clearInterval(timer);
      await catchUp.settled();
      await instanceBus.close();
      await docBus.close();
    },
  };
}

/**
 * One catch-up at a time; asked for while one runs, another follows it, since the running one
 * may have read the store before what it is asked to find was lost.
 */
function catchingUp(docs: DocRegistry, log: CloudLog): { now(): void; settled(): Promise<void> } {
  let running: Promise<void> | undefined;
  let again = false;
  const run = (): Promise<void> =>
    docs
      .catchUp()
      .then((n) => {
        if (n > 0) log.info({ updates: n }, `cluster: caught up on ${n} document updates from the store`);
      })
      .catch((err: Error) => log.warn(`cluster: catch-up from the store failed: ${err.message}`))
      .finally(() => {
        running = again ? run() : undefined;
        again = false;
      });
  return {
    now() {
      if (running) again = true;
      else running = run();
    },
    async settled() {
      while (running) await running;
    },
  };
}
