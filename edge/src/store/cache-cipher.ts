import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  const file = join(dataDir, CACHE_KEY_FILE);
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (key.length === 32) return key;
  }
  const key = randomBytes(32);
  writeFileSync(`${file}.tmp`, key.toString('base64url'), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return key;
}

const VERSION = 1;
const IV = 12;
const TAG = 16;

/** AES-256-GCM, `version | iv | tag | ciphertext`, with `context` (the member id) bound as associated data. */
export function sealRow(key: Buffer, plaintext: string, context: string): Buffer {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

/** Opens a sealed row; undefined if the key, the context or any byte differs. */
export function openRow(key: Buffer, sealed: Buffer, context: string): string | undefined {
  if (sealed.length < 1 + IV + TAG || sealed[0] !== VERSION) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + IV));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.subarray(1 + IV, 1 + IV + TAG));
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV + TAG)), decipher.final()]).toString('utf8');
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
  const before = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    db.transaction(rewrite)();
    const free = db.pragma('freelist_count', { simple: true }) as number;
    if (free > 0) {
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      db.transaction(() => {
        db.exec('CREATE TABLE scrub_free_pages (b BLOB)');
        db.prepare('INSERT INTO scrub_free_pages (b) VALUES (zeroblob(?))').run(free * pageSize);
        db.exec('DROP TABLE scrub_free_pages');
      })();
    }
  } finally {
    db.pragma(`secure_delete = ${before}`);
  }
  if (!db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
}
