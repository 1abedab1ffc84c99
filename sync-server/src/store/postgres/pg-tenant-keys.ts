import { seal, tenantSecrets, unseal, type TenantSecrets } from '../../domain/secrets';
import { TenantKeyError } from '../tenant-keys-store';
import type { Queryable } from './pg-db';
import { randomBytes } from 'node:crypto';

const SQL = {
  get: 'SELECT wrapped FROM tenant_keys WHERE tenant_id = $1',
  // Two instances creating the first key of a tenant at once: one row wins, both read it back.
  insert:
    'INSERT INTO tenant_keys (tenant_id, wrapped, created_at) VALUES ($1, $2, $3) ON CONFLICT (tenant_id) DO NOTHING',
} as const;

/**
 * Envelope encryption on PostgreSQL (the contract of TenantKeys): each tenant's random data key is
 * stored only wrapped by the installation's master key, which every instance must be given alike
 * (`--secrets-key` / CR_SECRETS_KEY, or the same `master-key.secret`).
 */
export class PgTenantKeys {
  private readonly cache = new Map<string, TenantSecrets>();

  constructor(private readonly masterKey: Buffer) {}

  /** The tenant's keys, its data key created on first use. Read through `q` (the caller's transaction, or the pool). */
  async forTenant(q: Queryable, tenantId: string): Promise<TenantSecrets> {
    const cached = this.cache.get(tenantId);
    if (cached) return cached;
    let row = (await q.query<{ wrapped: Buffer }>(SQL.get, [tenantId])).rows[0];
    if (!row) {
      const wrapped = seal(this.masterKey, randomBytes(32), `tenant-key\0${tenantId}`);
      await q.query(SQL.insert, [tenantId, wrapped, Date.now()]);
      row = (await q.query<{ wrapped: Buffer }>(SQL.get, [tenantId])).rows[0]!;
    }
    let dataKey: Buffer;
    try {
      dataKey = unseal(this.masterKey, row.wrapped, `tenant-key\0${tenantId}`);
    } catch {
      throw new TenantKeyError(
        `the data key of tenant ${tenantId} does not open with this master key (every instance needs the same --secrets-key / CR_SECRETS_KEY)`,
      );
    }
    const secrets = tenantSecrets(dataKey);
    // Cached only once committed: a key row rolled back with its transaction must not be used later.
    if (!('release' in q)) this.cache.set(tenantId, secrets);
    return secrets;
  }
}
