import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { createMetrics } from '../metrics';
import { createCloudLog, type CloudLog } from '../log';
import { DocRegistry } from '../sync/doc-registry';
import { LinkHub } from '../edge-link/link-hub';
import { openDb } from '../store/db';
import { MembersStore } from '../store/members-store';
import { sqlitePort } from '../store/ports';
import { openPostgres, type PgDb } from '../store/postgres/pg-db';
import { PgDocUpdatesStore } from '../store/postgres/pg-doc-updates-store';
import { joinCluster, type ClusterMembership, type ClusterOptions } from '../cluster/join-cluster';
import { serviceGate } from './services';

/** Where tests find Redis: `CR_TEST_REDIS_URL`, else the local server's standard address. */
export const TEST_REDIS_URL = process.env.CR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const redisGate = serviceGate('Redis', TEST_REDIS_URL);

/** Whether private Redis servers can be started here (suites that need one say plainly when not). */
export function redisServerInstalled(): boolean {
  const bin = process.env.CR_REDIS_SERVER ?? '/usr/bin/redis-server';
  const found = existsSync(bin);
  if (!found) {
    const line = `${bin} is not installed: suites that start their own Redis did not run`;
    if (process.env.CR_REQUIRE_SERVICES === '1') throw new Error(`${line} (CR_REQUIRE_SERVICES=1)`);
    console.warn(`[services] ${line}`);
  }
  return found;
}

/** A key prefix of its own, so tests sharing one Redis never see each other's keys. */
export const busPrefix = (): string => `crtest-${randomBytes(6).toString('hex')}`;

/** Deletes every key under `prefix`. */
export async function dropKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls `probe` until `ok` holds for what it returns; fails with the last value after `timeoutMs`. */
export async function eventually<T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** One cloud instance's documents and edge links, on the shared PostgreSQL store, joined over Redis. */
export interface CloudInstance {
  id: string;
  docs: DocRegistry;
  hub: LinkHub;
  cluster: ClusterMembership;
  log: CloudLog;
  close(): Promise<void>;
}

export async function startInstance(
  pgUrl: string,
  busUrl: string,
  id: string,
  opts: ClusterOptions & { /** a slow store: each document read answers this much later than the query ran */ loadLagMs?: number },
): Promise<CloudInstance> {
  const log = createCloudLog({ level: (process.env.CR_TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent' });
  const pg: PgDb = await openPostgres(pgUrl, { max: 4 });
  const metrics = createMetrics();
  const store = new PgDocUpdatesStore(pg);
  const lag = opts.loadLagMs;
  if (lag) {
    const load = store.load.bind(store);
    store.load = async (name) => {
      const rows = await load(name);
      await new Promise((r) => setTimeout(r, lag));
      return rows;
    };
  }
  const docs = new DocRegistry(store, metrics, { log });
  const hub = new LinkHub(sqlitePort(new MembersStore(openDb(':memory:'))), metrics, log);
  const cluster = await joinCluster(busUrl, { docs, hub, log }, id, opts);
  return {
    id,
    docs,
    hub,
    cluster,
    log,
    async close() {
      await cluster.close();
      await docs.close();
      await pg.close();
    },
  };
}
