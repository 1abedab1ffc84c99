import type pg from 'pg';
import { credentialTag, seal, unseal, type TenantSecrets } from '../../domain/secrets';
import { cloudMemberSchema, type CloudMember } from '../../domain/member-model';
import { CredentialInUseError, type PermissionChanges } from '../members-store';
import type { MembersPort } from '../ports';
import type { PgDb } from './pg-db';
import { PgTenantKeys } from './pg-tenant-keys';

const SQL = {
  version: 'SELECT version FROM permission_versions WHERE tenant_id = $1',
  // The row lock this takes serialises every change of one tenant's members until commit, on any instance.
  bumpVersion: `INSERT INTO permission_versions (tenant_id, version) VALUES ($1, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET version = permission_versions.version + 1 RETURNING version`,
  upsert: `INSERT INTO members (tenant_id, id, body, version, updated_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (tenant_id, id) DO UPDATE SET body = excluded.body, version = excluded.version, updated_at = excluded.updated_at`,
  member: 'SELECT id, body FROM members WHERE tenant_id = $1 AND id = $2 AND body IS NOT NULL',
  active: 'SELECT id, body FROM members WHERE tenant_id = $1 AND body IS NOT NULL ORDER BY id COLLATE "C"',
  since: 'SELECT id, body FROM members WHERE tenant_id = $1 AND version > $2 ORDER BY version',
  holder: 'SELECT member_id AS "memberId" FROM member_credentials WHERE tenant_id = $1 AND credential = $2',
  index: 'INSERT INTO member_credentials (tenant_id, credential, member_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
  unindex: 'DELETE FROM member_credentials WHERE tenant_id = $1 AND member_id = $2',
} as const;

type BodyRow = { id: string; body: Buffer | null };

/** Members in PostgreSQL, sealed per tenant and versioned (the contract of MembersStore). */
export class PgMembersStore implements MembersPort {
  private readonly keys: PgTenantKeys;

  constructor(
    private readonly db: PgDb,
    masterKey: Buffer,
  ) {
    this.keys = new PgTenantKeys(masterKey);
  }

  async version(tenantId: string): Promise<number> {
    return (await this.db.pool.query<{ version: number }>(SQL.version, [tenantId])).rows[0]?.version ?? 0;
  }

  private async nextVersion(c: pg.PoolClient, tenantId: string): Promise<number> {
    return (await c.query<{ version: number }>(SQL.bumpVersion, [tenantId])).rows[0]!.version;
  }

  async upsert(tenantId: string, members: CloudMember[], now = Date.now()): Promise<number> {
    const parsed = members.map((m) => cloudMemberSchema.parse(m));
    return this.db.tx(async (c) => {
      const version = await this.nextVersion(c, tenantId);
      const keys = await this.keys.forTenant(c, tenantId);
      for (const m of parsed) {
        await this.indexCredentials(c, tenantId, keys, m);
        await c.query(SQL.upsert, [tenantId, m.id, this.sealBody(keys, tenantId, m), version, now]);
      }
      return version;
    });
  }

  async remove(tenantId: string, memberId: string, now = Date.now()): Promise<number | undefined> {
    return this.db.tx(async (c) => {
      if ((await c.query(SQL.member, [tenantId, memberId])).rowCount === 0) return undefined;
      const version = await this.nextVersion(c, tenantId);
      await c.query(SQL.unindex, [tenantId, memberId]);
      await c.query(SQL.upsert, [tenantId, memberId, null, version, now]);
      return version;
    });
  }

  async member(tenantId: string, memberId: string): Promise<CloudMember | undefined> {
    const row = (await this.db.pool.query<{ id: string; body: Buffer }>(SQL.member, [tenantId, memberId])).rows[0];
    if (!row) return undefined;
    return this.openBody(await this.keys.forTenant(this.db.pool, tenantId), tenantId, row.id, row.body);
  }

  async members(tenantId: string): Promise<CloudMember[]> {
    const rows = (await this.db.pool.query<{ id: string; body: Buffer }>(SQL.active, [tenantId])).rows;
    const keys = await this.keys.forTenant(this.db.pool, tenantId);
    return rows.map((r) => this.openBody(keys, tenantId, r.id, r.body));
  }

  async credentialHolder(tenantId: string, credential: { type: string; value: string }): Promise<string | undefined> {
    const tag = credentialTag(await this.keys.forTenant(this.db.pool, tenantId), credential);
    return (await this.db.pool.query<{ memberId: string }>(SQL.holder, [tenantId, tag])).rows[0]?.memberId;
  }

  /** Everything after `fromVersion`, read in one repeatable-read snapshot so version and rows agree. */
  async changesSince(tenantId: string, fromVersion: number): Promise<PermissionChanges> {
    const keys = await this.keys.forTenant(this.db.pool, tenantId);
    return this.db.tx(async (c) => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const rows = (await c.query<BodyRow>(SQL.since, [tenantId, fromVersion])).rows;
      const version = (await c.query<{ version: number }>(SQL.version, [tenantId])).rows[0]?.version ?? 0;
      const upserts: CloudMember[] = [];
      const removals: string[] = [];
      for (const r of rows) {
        if (r.body === null) removals.push(r.id);
        else upserts.push(this.openBody(keys, tenantId, r.id, r.body));
      }
      return { version, upserts, removals };
    });
  }

  private async indexCredentials(
    c: pg.PoolClient,
    tenantId: string,
    keys: TenantSecrets,
    m: CloudMember,
  ): Promise<void> {
    await c.query(SQL.unindex, [tenantId, m.id]);
    for (const cred of m.credentials) {
      const tag = credentialTag(keys, cred);
      const holder = (await c.query<{ memberId: string }>(SQL.holder, [tenantId, tag])).rows[0]?.memberId;
      if (holder !== undefined && holder !== m.id) throw new CredentialInUseError(holder, cred.type);
      await c.query(SQL.index, [tenantId, tag, m.id]);
    }
  }

  private sealBody(keys: TenantSecrets, tenantId: string, m: CloudMember): Buffer {
    return seal(keys.bodyKey, Buffer.from(JSON.stringify(m), 'utf8'), `member\0${tenantId}\0${m.id}`);
  }

  private openBody(keys: TenantSecrets, tenantId: string, id: string, body: Buffer): CloudMember {
    return JSON.parse(unseal(keys.bodyKey, body, `member\0${tenantId}\0${id}`).toString('utf8')) as CloudMember;
  }
}
