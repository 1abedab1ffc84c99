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

/** Redis key prefix shared by the instances of one deployment. */
const PREFIX = 'cr';

/**
 * Joins the other instances over Redis (CONTRACT §10): document changes they stored are applied
 * here as they arrive, and everything the fan-out may have lost (a Redis restart, a partition) is
 * read back from the shared store at once and every CATCH_UP_MS; messages for edge links held by
 * another instance are routed there. Redis only carries news: the store stays the truth.
 */
export async function joinCluster(
  busUrl: string,
  deps: { docs: DocRegistry; hub: LinkHub; log: CloudLog },
  instanceId: string = `cloud-${randomUUID().slice(0, 8)}`,
): Promise<ClusterMembership> {
  const docBus = await openRedisDocBus(busUrl, { prefix: PREFIX, instanceId });
  const instanceBus = await openRedisInstanceBus(busUrl, { prefix: PREFIX, instanceId });
  const { docs, hub, log } = deps;
  docBus.onUpdate((m) => docs.applyRemote(m.doc, m.update));
  let catching: Promise<unknown> | undefined;
  const catchUp = () => {
    catching ??= docs
      .catchUp()
      .then((n) => n > 0 && log.info({ updates: n }, `cluster: caught up on ${n} document updates from the store`))
      .catch((err: Error) => log.warn(`cluster: catch-up from the store failed: ${err.message}`))
      .finally(() => (catching = undefined));
  };
  docBus.onResync(catchUp);
  const timer = setInterval(catchUp, CATCH_UP_MS);
  timer.unref();
  hub.useRouter(instanceBus);
  docs.useFanout(docBus);
  log.info({ instanceId }, `cluster: instance ${instanceId} joined over Redis`);
  return {
    instanceId,
    docBus,
    instanceBus,
    async close() {
      clearInterval(timer);
      await catching;
      await instanceBus.close();
      await docBus.close();
    },
  };
}
