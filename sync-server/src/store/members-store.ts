import { credentialTag, seal, unseal, type TenantSecrets } from '../domain/secrets';
import { cloudMemberSchema, type CloudMember } from '../domain/member-model';
import type { Db } from './db';
import { scrubFreePages, withSecureDelete } from './scrub';
import { TenantKeys } from './tenant-keys-store';

/** What changed in a tenant's permissions after a version: the edge's delta feed. */
export interface PermissionChanges {
  version: number;
  upserts: CloudMember[];
  removals: string[];
}

/** A credential another member of the tenant already holds. */
export class CredentialInUseError extends Error {
  constructor(
    readonly holderId: string,
    readonly credentialType: string,
  ) {
    super(`the ${credentialType} credential is already held by member ${holderId}`);
  }
}

const SQL = {
  version: 'SELECT version FROM permission_versions WHERE tenant_id = ?',
  bumpVersion: `INSERT INTO permission_versions (tenant_id, version) VALUES (?, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1 RETURNING version`,
  upsert: `INSERT INTO members (tenant_id, id, body, version, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (tenant_id, id) DO UPDATE SET body = excluded.body, version = excluded.version, updated_at = excluded.updated_at`,
  member: 'SELECT id, body FROM members WHERE tenant_id = ? AND id = ? AND body IS NOT NULL',
  active: 'SELECT id, body FROM members WHERE tenant_id = ? AND body IS NOT NULL ORDER BY id',
  since: 'SELECT id, body FROM members WHERE tenant_id = ? AND version > ? ORDER BY version',
  holder: 'SELECT member_id AS memberId FROM member_credentials WHERE tenant_id = ? AND credential = ?',
  index: 'INSERT OR IGNORE INTO member_credentials (tenant_id, credential, member_id) VALUES (?, ?, ?)',
  unindex: 'DELETE FROM member_credentials WHERE tenant_id = ? AND member_id = ?',
  legacy: `SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'members_plaintext'`,
  legacyRows: 'SELECT tenant_id AS tenantId, id, body, version, updated_at AS updatedAt FROM members_plaintext',
  insertLegacy: 'INSERT INTO members (tenant_id, id, body, version, updated_at) VALUES (?, ?, ?, ?, ?)',
} as const;

/**
 * Members with their credentials and grants, versioned per tenant: every change takes the next
 * tenant version, and a removal leaves a tombstone (body NULL), so an edge that reconnects with
 * version N receives exactly what changed after N.
 *
 * Threat: a copy of the database (backup, stolen disk) giving away names and card numbers. Bodies
 * are sealed with the tenant's key (TenantKeys); the credential index that keeps a credential
 * unique in a tenant holds keyed tags, not values.
 */
export class MembersStore {
  constructor(
    private readonly db: Db,
    private readonly keys = new TenantKeys(db),
  ) {
    this.encryptLegacy();
  }

  version(tenantId: string): number {
    const row = this.db.prepare(SQL.version).get(tenantId) as { version: number } | undefined;
    return row?.version ?? 0;
  }

  private nextVersion(tenantId: string): number {
    return (this.db.prepare(SQL.bumpVersion).get(tenantId) as { version: number }).version;
  }

  /**
   * Creates or replaces members in one transaction; returns the new tenant version. Throws
   * CredentialInUseError (and stores nothing) when a credential belongs to another member.
   */
  upsert(tenantId: string, members: CloudMember[], now = Date.now()): number {
    const keys = this.keys.forTenant(tenantId);
    return this.db.transaction(() => {
      const version = this.nextVersion(tenantId);
      const stmt = this.db.prepare(SQL.upsert);
      for (const m of members) {
        const parsed = cloudMemberSchema.parse(m);
        this.indexCredentials(tenantId, keys, parsed);
        stmt.run(tenantId, m.id, this.sealBody(keys, tenantId, parsed), version, now);
      }
      return version;
    })();
  }

  /** Revokes a member (tombstone, credentials free again); returns the new version, or undefined when unknown. */
  remove(tenantId: string, memberId: string, now = Date.now()): number | undefined {
    return this.db.transaction(() => {
      if (!this.db.prepare(SQL.member).get(tenantId, memberId)) return undefined;
      const version = this.nextVersion(tenantId);
      this.db.prepare(SQL.unindex).run(tenantId, memberId);
      this.db.prepare(SQL.upsert).run(tenantId, memberId, null, version, now);
      return version;
    })();
  }

  member(tenantId: string, memberId: string): CloudMember | undefined {
    const row = this.db.prepare(SQL.member).get(tenantId, memberId) as { id: string; body: Buffer } | undefined;
    return row ? this.openBody(this.keys.forTenant(tenantId), tenantId, row.id, row.body) : undefined;
  }

  members(tenantId: string): CloudMember[] {
    const keys = this.keys.forTenant(tenantId);
    return (this.db.prepare(SQL.active).all(tenantId) as Array<{ id: string; body: Buffer }>).map((r) =>
      this.openBody(keys, tenantId, r.id, r.body),
    );
  }

  /** The member holding a credential in the tenant, if any (looked up by its keyed tag). */
  credentialHolder(tenantId: string, credential: { type: string; value: string }): string | undefined {
    const tag = credentialTag(this.keys.forTenant(tenantId), credential);
    return (this.db.prepare(SQL.holder).get(tenantId, tag) as { memberId: string } | undefined)?.memberId;
  }

  /** Everything after `fromVersion`, read in one transaction so version and rows agree. */
  changesSince(tenantId: string, fromVersion: number): PermissionChanges {
    const keys = this.keys.forTenant(tenantId);
    return this.db.transaction(() => {
      const rows = this.db.prepare(SQL.since).all(tenantId, fromVersion) as Array<{ id: string; body: Buffer | null }>;
      const upserts: CloudMember[] = [];
      const removals: string[] = [];
      for (const r of rows) {
        if (r.body === null) removals.push(r.id);
        else upserts.push(this.openBody(keys, tenantId, r.id, r.body));
      }
      return { version: this.version(tenantId), upserts, removals };
    })();
  }

  private indexCredentials(tenantId: string, keys: TenantSecrets, m: CloudMember): void {
    this.db.prepare(SQL.unindex).run(tenantId, m.id);
    for (const c of m.credentials) {
      const tag = credentialTag(keys, c);
      const holder = (this.db.prepare(SQL.holder).get(tenantId, tag) as { memberId: string } | undefined)?.memberId;
      if (holder !== undefined && holder !== m.id) throw new CredentialInUseError(holder, c.type);
      this.db.prepare(SQL.index).run(tenantId, tag, m.id);
    }
  }

  private sealBody(keys: TenantSecrets, tenantId: string, m: CloudMember): Buffer {
    return seal(keys.bodyKey, Buffer.from(JSON.stringify(m), 'utf8'), `member\0${tenantId}\0${m.id}`);
  }

  private openBody(keys: TenantSecrets, tenantId: string, id: string, body: Buffer): CloudMember {
    return JSON.parse(unseal(keys.bodyKey, body, `member\0${tenantId}\0${id}`).toString('utf8')) as CloudMember;
  }

  /**
   * Members written before encryption (the migration renamed their table to `members_plaintext`)
   * are sealed into `members` with their versions, their credentials indexed, the old table dropped
   * with its pages zeroed. A credential two legacy members shared stays with the first indexed;
   * the other keeps it until an admin next saves them, which then gets 409.
   */
  private encryptLegacy(): void {
    if (!this.db.prepare(SQL.legacy).get()) return;
    withSecureDelete(this.db, () =>
      this.db.transaction(() => {
        type Row = { tenantId: string; id: string; body: string | null; version: number; updatedAt: number };
        const insert = this.db.prepare(SQL.insertLegacy);
        for (const r of this.db.prepare(SQL.legacyRows).all() as Row[]) {
          const keys = this.keys.forTenant(r.tenantId);
          const m = r.body === null ? undefined : (JSON.parse(r.body) as CloudMember);
          insert.run(r.tenantId, r.id, m ? this.sealBody(keys, r.tenantId, m) : null, r.version, r.updatedAt);
          for (const c of m?.credentials ?? [])
            this.db.prepare(SQL.index).run(r.tenantId, credentialTag(keys, c), r.id);
        }
        this.db.exec('DROP TABLE members_plaintext');
      })(),
    );
    scrubFreePages(this.db);
  }
}
