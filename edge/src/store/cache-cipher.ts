import { join } from 'node:path';
import { loadOrCreateKeyFile, scrubFreePages, seal, unseal, withSecureDelete } from '@cr/store-kit';
import type { Db } from './db';

/** File in the edge's data directory holding the permission cache key (mode 0600). */
export const CACHE_KEY_FILE = 'permission-cache.key';

/**
 * The key the permission cache is sealed with: random, created at first start in the data
 * directory with mode 0600, never sent anywhere. A key delivered over the cloud link would leave an
 * edge that restarts while offline unable to read its own cache, and DESIGN.md wants it to keep
 * deciding alone; so the key stays local. What it stops: the SQLite file copied on its own (a support
 * bundle, a backup, the database sent for analysis) revealing names and card numbers. It does not
 * stop whoever takes the whole data directory (see edge/README.md).
 */
export function loadOrCreateCacheKey(dataDir: string): Buffer {
  return loadOrCreateKeyFile(join(dataDir, CACHE_KEY_FILE));
}

/** Seals a member row, with `context` (the member id) bound as associated data. */
export function sealRow(key: Buffer, plaintext: string, context: string): Buffer {
  return seal(key, Buffer.from(plaintext, 'utf8'), context);
}

/** Opens a sealed row; undefined if the key, the context or any byte differs. */
export function openRow(key: Buffer, sealed: Buffer, context: string): string | undefined {
  try {
    return unseal(key, sealed, context).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * Zeroes what an encrypting migration left behind: runs `rewrite` with secure_delete on (overwritten
 * plaintext is zeroed), then fills the free list with a zero blob and drops it (plaintext freed
 * before the migration), then moves the log into the file and truncates it. Costs writes in
 * proportion to the free space, once.
 */
export function rewriteScrubbed(db: Db, rewrite: () => void): void {
  withSecureDelete(db, () => db.transaction(rewrite)());
  scrubFreePages(db);
}
