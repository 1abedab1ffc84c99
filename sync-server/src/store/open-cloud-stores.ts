import type { CloudMetrics } from '../metrics';
import type { CloudLog } from '../log';
import { openSqliteStores, type CloudStores } from './cloud-stores';
import { openPostgresStores } from './postgres/pg-stores';

/** The cloud's stores: PostgreSQL at `storeUrl` when given (CONTRACT §10), else SQLite under `dataDir`. */
export async function openCloudStores(
  config: { dataDir: string; storeUrl?: string },
  metrics: CloudMetrics,
  log?: CloudLog,
): Promise<CloudStores> {
  if (config.storeUrl) return openPostgresStores(config.storeUrl, config.dataDir, log);
  return openSqliteStores(config.dataDir, metrics);
}
