import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { loadMasterKey, seal, tenantSecrets, unseal, type TenantSecrets } from '../domain/secrets';
import type { Db } from './db';

const SQL = {
  get: 'SELECT wrapped FROM tenant_keys WHERE tenant_id = ?',
  insert: 'INSERT INTO tenant_keys (tenant_id, wrapped, created_at) VALUES (?, ?, ?)',
} as const;

export class TenantKeyError extends Error {}

/**
 * Envelope encryption: each tenant has its own random data key, stored only wrapped (AES-256-GCM)
 * by the installation's master key. Rewrapping under a new master key touches one row per tenant,
 * and deleting a tenant's row makes all its encrypted records unreadable at once.
 */
export class TenantKeys {
  private readonly cache = new Map<string, TenantSecrets>();

  /** `masterKey` defaults to loadMasterKey of the database's directory (random for an in-memory database). */
  constructor(
    private readonly db: Db,
    private readonly masterKey: Buffer = db.memory ? randomBytes(32) : loadMasterKey(dirname(db.name)),
  ) {}

  /** The tenant's keys; its data key is created on first use. */
  forTenant(tenantId: string): TenantSecrets {
    const cached = this.cache.get(tenantId);
    if (cached) return cached;
    const row = this.db.prepare(SQL.get).get(tenantId) as { wrapped: Buffer } | undefined;
    let dataKey: Buffer;
    if (row) {
      try {
        dataKey = unseal(this.masterKey, row.wrapped, `tenant-key\0${tenantId}`);
      } catch {
        // Threat to availability, not secrecy: a wrong key must stop the start, never mint a new data key over the old.
        throw new TenantKeyError(
          `the data key of tenant ${tenantId} does not open with this master key (wrong --secrets-key / CR_SECRETS_KEY, or master-key.secret replaced)`,
        );
      }
    } else {
      dataKey = randomBytes(32);
      this.db.prepare(SQL.insert).run(tenantId, seal(this.masterKey, dataKey, `tenant-key\0${tenantId}`), Date.now());
    }
    const secrets = tenantSecrets(dataKey);
    // Inside a transaction the row may still roll back: cache only what is committed, or data
    // sealed later with a key that never reached the disk would be lost at the next start.
    if (!this.db.inTransaction) this.cache.set(tenantId, secrets);
    return secrets;
  }
}
