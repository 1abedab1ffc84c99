import { cloudMemberSchema, type CloudMember } from '../domain/member-model';
import type { Db } from './db';

/** What changed in a tenant's permissions after a version: the edge's delta feed. */
export interface PermissionChanges {
  version: number;
  upserts: CloudMember[];
  removals: string[];
}

const SQL = {
  version: 'SELECT version FROM permission_versions WHERE tenant_id = ?',
  bumpVersion: `INSERT INTO permission_versions (tenant_id, version) VALUES (?, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1 RETURNING version`,
  upsert: `INSERT INTO members (tenant_id, id, body, version, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (tenant_id, id) DO UPDATE SET body = excluded.body, version = excluded.version, updated_at = excluded.updated_at`,
  member: 'SELECT body FROM members WHERE tenant_id = ? AND id = ? AND body IS NOT NULL',
  active: 'SELECT body FROM members WHERE tenant_id = ? AND body IS NOT NULL ORDER BY id',
  since: 'SELECT id, body FROM members WHERE tenant_id = ? AND version > ? ORDER BY version',
} as const;

/**
 * Members with their credentials and grants, versioned per tenant: every change takes the next
 * tenant version, and a removal leaves a tombstone (body NULL), so an edge that reconnects with
 * version N receives exactly what changed after N.
 */
export class MembersStore {
  constructor(private readonly db: Db) {}

  version(tenantId: string): number {
    const row = this.db.prepare(SQL.version).get(tenantId) as { version: number } | undefined;
    return row?.version ?? 0;
  }

  private nextVersion(tenantId: string): number {
    return (this.db.prepare(SQL.bumpVersion).get(tenantId) as { version: number }).version;
  }

  /** Creates or replaces members in one transaction; returns the new tenant version. */
  upsert(tenantId: string, members: CloudMember[], now = Date.now()): number {
    return this.db.transaction(() => {
      const version = this.nextVersion(tenantId);
      const stmt = this.db.prepare(SQL.upsert);
      for (const m of members) stmt.run(tenantId, m.id, JSON.stringify(cloudMemberSchema.parse(m)), version, now);
      return version;
    })();
  }

  /** Revokes a member (tombstone); returns the new version, or undefined when unknown. */
  remove(tenantId: string, memberId: string, now = Date.now()): number | undefined {
    return this.db.transaction(() => {
      if (!this.member(tenantId, memberId)) return undefined;
      const version = this.nextVersion(tenantId);
      this.db.prepare(SQL.upsert).run(tenantId, memberId, null, version, now);
      return version;
    })();
  }

  member(tenantId: string, memberId: string): CloudMember | undefined {
    const row = this.db.prepare(SQL.member).get(tenantId, memberId) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as CloudMember) : undefined;
  }

  members(tenantId: string): CloudMember[] {
    return (this.db.prepare(SQL.active).all(tenantId) as Array<{ body: string }>).map(
      (r) => JSON.parse(r.body) as CloudMember,
    );
  }

  /** Everything after `fromVersion`, read in one transaction so version and rows agree. */
  changesSince(tenantId: string, fromVersion: number): PermissionChanges {
    return this.db.transaction(() => {
      const rows = this.db.prepare(SQL.since).all(tenantId, fromVersion) as Array<{ id: string; body: string | null }>;
      const upserts: CloudMember[] = [];
      const removals: string[] = [];
      for (const r of rows) {
        if (r.body === null) removals.push(r.id);
        else upserts.push(JSON.parse(r.body) as CloudMember);
      }
      return { version: this.version(tenantId), upserts, removals };
    })();
  }
}
