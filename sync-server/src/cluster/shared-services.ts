import type { CloudConfig } from '../config';
import type { CloudLog } from '../log';
import type { DocRegistry } from '../sync/doc-registry';
import type { LinkHub } from '../edge-link/link-hub';
import type { EventIngest } from '../domain/event-ingest';
import type { SiteDevices } from '../domain/site-devices';
import { reportedDeviceSchema } from '@cr/shared';
import { z } from 'zod';
import { ServiceUnreachable } from '../service-unreachable';
import { joinCluster, type ClusterMembership } from './join-cluster';
import { openEventStream, type EventStream } from './event-stream';

/** The event stream of a deployment (`--cluster`, default `cr`) and its subjects, the same for all its instances. */
export const eventStreamOf = (cluster: string) => ({
  stream: `${cluster.toUpperCase()}_EVENTS`,
  subjectPrefix: `${cluster}.events`,
});

/** What an instance shares with the others (CONTRACT §10): the Redis bus and the JetStream event stream. */
export interface SharedServices {
  cluster?: ClusterMembership;
  eventStream?: EventStream;
  /** pings for `/health` */
  dependencies: Array<{ name: 'bus' | 'stream'; ping(): Promise<void> }>;
  /** stops consuming (the batch being stored finishes first), then leaves the bus */
  close(): Promise<void>;
}

/** Opens the event stream (`--stream`); batches go straight to the store without it. */
export async function openSharedStream(config: CloudConfig, log: CloudLog): Promise<EventStream | undefined> {
  if (!config.streamUrl) return undefined;
  return unreachableAsOneLine(() => openEventStream(config.streamUrl!, { ...eventStreamOf(config.cluster), log }));
}

/**
 * Joins the bus (`--bus`) and starts this instance's share of the stream's consumer: every
 * instance stores what the stream holds, each batch once, acknowledged to the stream after commit.
 */
export async function joinSharedServices(
  config: CloudConfig,
  deps: {
    instanceId: string;
    docs: DocRegistry;
    hub: LinkHub;
    ingest: EventIngest;
    devices: SiteDevices;
    log: CloudLog;
    eventStream?: EventStream;
  },
): Promise<SharedServices> {
  const { eventStream, log } = deps;
  const cluster = config.busUrl
    ? await unreachableAsOneLine(() => joinCluster(config.busUrl!, deps, deps.instanceId, { prefix: config.cluster }))
    : undefined;
  if (cluster) shareDeviceReports(cluster, deps.devices, log);
  eventStream?.consume(async (tenantId, siteId, events) => {
    await deps.ingest.persist(tenantId, siteId, events);
  });
  const dependencies: SharedServices['dependencies'] = [];
  if (cluster)
    dependencies.push({
      name: 'bus',
      ping: async () => {
        await Promise.all([cluster.docBus.ping(), cluster.instanceBus.ping()]);
      },
    });
  if (eventStream) dependencies.push({ name: 'stream', ping: () => eventStream.ping() });
  if (cluster || eventStream)
    log.info(
      { instanceId: deps.instanceId, bus: !!cluster, stream: !!eventStream },
      `cloud: instance ${deps.instanceId} shares ${[cluster && 'the bus', eventStream && 'the event stream'].filter(Boolean).join(' and ')}`,
    );
  return {
    cluster,
    eventStream,
    dependencies,
    async close() {
      await eventStream?.close();
      await cluster?.close();
    },
  };
}

/** A service that does not answer at start ends the process with one line (the URL's credentials never shown). */
async function unreachableAsOneLine<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (err) {
    throw new ServiceUnreachable((err as Error).message, { cause: err });
  }
}

const DEVICES_TOPIC = 'site.devices';
const deviceNews = z.object({
  tenantId: z.string().min(1).max(64),
  siteId: z.string().min(1).max(64),
  report: z.object({ devices: z.array(reportedDeviceSchema).max(10_000), reportedAt: z.number() }),
});

/**
 * Each site's device inventory as its edge reported it, known to every instance: whichever holds
 * the link stores the report and tells the others; after the bus lost messages, all are read again.
 */
function shareDeviceReports(cluster: ClusterMembership, devices: SiteDevices, log: CloudLog): void {
  devices.onReported((tenantId, siteId, report) => {
    cluster.instanceBus
      .broadcast(DEVICES_TOPIC, { tenantId, siteId, report })
      .catch((err: Error) => log.warn(`cluster: device report of ${siteId} not announced: ${err.message}`));
  });
  cluster.instanceBus.onBroadcast(DEVICES_TOPIC, (payload) => {
    const news = deviceNews.safeParse(payload);
    if (news.success) devices.adopt(news.data.tenantId, news.data.siteId, news.data.report);
    else log.warn('cluster: skipped an unreadable device report from another instance');
  });
  cluster.docBus.onResync(() => {
    devices.init().catch((err: Error) => log.warn(`cluster: device reports not read again: ${err.message}`));
  });
}
