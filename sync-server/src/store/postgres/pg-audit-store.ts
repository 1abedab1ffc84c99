import { randomBytes, randomUUID } from 'node:crypto';
import { CHAIN_START, personalHash, recordHash, type ChainReport } from '../audit-chain';
import { REDACTED_ACTOR, type AuditQuery, type AuditRecord } from '../audit-store';
import type { AuditPort } from '../ports';
import type { PgDb } from './pg-db';

const SQL = {
  // One writer per tenant chain at a time, on any instance, until commit: the chain never forks.
  lock: `SELECT pg_advisory_xact_lock(hashtextextended('audit:' || $1, 7271))`,
  last: 'SELECT hash FROM audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1',
  exists: 'SELECT 1 FROM audit_log WHERE id = $1',
  digest: `SELECT p.details::jsonb ->> 'digest' AS digest FROM audit_log a JOIN audit_personal p ON p.seq = a.seq WHERE a.id = $1`,
  insert: `INSERT INTO audit_log (id, tenant_id, ts, action, target, result, site_id, personal_hash, hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq`,
  personal: 'INSERT INTO audit_personal (seq, ts, salt, actor, source, details) VALUES ($1, $2, $3, $4, $5, $6)',
  query: `SELECT a.id, a.ts, p.actor, a.action, a.target, a.result, a.site_id AS "siteId", p.source, p.details
    FROM audit_log a LEFT JOIN audit_personal p ON p.seq = a.seq
    WHERE a.tenant_id = $1 AND ($2::text IS NULL OR a.site_id = $2)
      AND ($3::bigint IS NULL OR a.ts >= $3) AND ($4::bigint IS NULL OR a.ts < $4)
      AND ($5::text[] IS NULL OR a.site_id = ANY($5))
    ORDER BY a.ts DESC, a.seq DESC LIMIT $6`,
  chain: `SELECT a.seq, a.id, a.tenant_id AS "tenantId", a.ts, a.action, a.target, a.result, a.site_id AS "siteId",
      a.personal_hash AS "personalHash", a.hash, p.salt, p.actor, p.source, p.details
    FROM audit_log a LEFT JOIN audit_personal p ON p.seq = a.seq
    WHERE a.tenant_id = $1 AND a.seq > $2 ORDER BY a.seq LIMIT $3`,
  redact: `DELETE FROM audit_personal WHERE seq IN
    (SELECT seq FROM audit_personal WHERE ts < $1 ORDER BY ts LIMIT $2)`,
} as const;

interface AuditRow {
  id: string;
  ts: number;
  actor: string | null;
  action: string;
  target: string;
  result: string;
  siteId: string | null;
  source: string | null;
  details: string | null;
}

type ChainRow = AuditRow & { seq: number; tenantId: string; personalHash: string; hash: string; salt: Buffer | null };

const CHAIN_PAGE = 1_000;

/**
 * The audit log in PostgreSQL (the contract of AuditStore): append-only (a trigger refuses UPDATE
 * and DELETE on `audit_log`), hash-chained per tenant with the installation's audit-chain key,
 * personal fields in `audit_personal` for retention to delete.
 */
export class PgAuditStore implements AuditPort {
  constructor(
    private readonly db: PgDb,
    private readonly chainKey: Buffer,
  ) {}

  async append(tenantId: string, rec: Omit<AuditRecord, 'id' | 'ts'> & { ts?: number }): Promise<AuditRecord> {
    const full: AuditRecord = { ...rec, id: randomUUID(), ts: rec.ts ?? Date.now() };
    await this.insert(tenantId, full, false);
    return full;
  }

  /** Appends under a stable id; a fact recorded before (by any instance) adds nothing. True if new. */
  async appendOnce(tenantId: string, rec: AuditRecord): Promise<boolean> {
    return this.insert(tenantId, rec, true);
  }

  /** The content digest kept in a record's details (alert entries), if the record exists and is not redacted. */
  async digestOf(id: string): Promise<string | undefined> {
    const row = (await this.db.pool.query<{ digest: string | null }>(SQL.digest, [id])).rows[0];
    return row?.digest ?? undefined;
  }

  private insert(tenantId: string, r: AuditRecord, once: boolean): Promise<boolean> {
    return this.db.tx(async (c) => {
      await c.query(SQL.lock, [tenantId]);
      if (once && (await c.query(SQL.exists, [r.id])).rowCount !== 0) return false;
      const prev = (await c.query<{ hash: string }>(SQL.last, [tenantId])).rows[0]?.hash ?? CHAIN_START;
      const personal = {
        salt: randomBytes(16),
        actor: r.actor,
        source: r.source ?? null,
        details: r.details ? JSON.stringify(r.details) : null,
      };
      const fields = {
        id: r.id,
        tenantId,
        ts: r.ts,
        action: r.action,
        target: r.target,
        result: r.result,
        siteId: r.siteId ?? null,
      };
      const ph = personalHash(this.chainKey, personal);
      const hash = recordHash(this.chainKey, prev, fields, ph);
      const res = await c.query<{ seq: number }>(SQL.insert, [
        r.id,
        tenantId,
        r.ts,
        r.action,
        r.target,
        r.result,
        fields.siteId,
        ph,
        hash,
      ]);
      const seq = res.rows[0]!.seq;
      await c.query(SQL.personal, [seq, r.ts, personal.salt, personal.actor, personal.source, personal.details]);
      return true;
    });
  }

  async query(q: AuditQuery): Promise<AuditRecord[]> {
    const rows = (
      await this.db.pool.query<AuditRow>(SQL.query, [
        q.tenantId,
        q.siteId ?? null,
        q.from ?? null,
        q.to ?? null,
        q.siteIds ? [...q.siteIds] : null,
        q.limit,
      ])
    ).rows;
    return rows.map((r) => ({
      id: r.id,
      ts: r.ts,
      actor: r.actor ?? REDACTED_ACTOR,
      action: r.action,
      target: r.target,
      result: r.result,
      ...(r.siteId ? { siteId: r.siteId } : {}),
      ...(r.source ? { source: r.source } : {}),
      ...(r.details ? { details: JSON.parse(r.details) as Record<string, unknown> } : {}),
    }));
  }

  async redactBefore(before: number, limit: number): Promise<number> {
    return (await this.db.pool.query(SQL.redact, [before, limit])).rowCount ?? 0;
  }

  /** Walks a tenant's chain page by page from its first record (see AuditStore.verifyAuditChain). */
  async verifyAuditChain(tenantId: string): Promise<ChainReport> {
    let prev = CHAIN_START;
    let records = 0;
    let redacted = 0;
    let after = 0;
    for (;;) {
      const page = (await this.db.pool.query<ChainRow>(SQL.chain, [tenantId, after, CHAIN_PAGE])).rows;
      for (const r of page) {
        const brokenAt = { seq: r.seq, id: r.id };
        if (r.salt === null || r.actor === null) redacted++;
        else if (
          personalHash(this.chainKey, { salt: r.salt, actor: r.actor, source: r.source, details: r.details }) !==
          r.personalHash
        )
          return { ok: false, records, brokenAt, reason: 'personal' };
        if (recordHash(this.chainKey, prev, r, r.personalHash) !== r.hash)
          return { ok: false, records, brokenAt, reason: 'record' };
        prev = r.hash;
        records++;
        after = r.seq;
      }
      if (page.length < CHAIN_PAGE) return { ok: true, records, redacted };
    }
  }
}
