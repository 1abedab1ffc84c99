import { randomBytes, randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { loadOrCreateSecret } from '../domain/secrets';
import { CHAIN_START, personalHash, recordHash, type ChainReport } from './audit-chain';
import type { Db } from './db';
import { withSecureDelete } from './scrub';

/** One audit record (CONTRACT.md §3) plus where it happened. */
export interface AuditRecord {
  id: string;
  ts: number;
  actor: string;
  action: string;
  target: string;
  result: string;
  siteId?: string;
  source?: string;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  tenantId: string;
  siteId?: string;
  /** restrict to these sites (scoped roles); undefined = all */
  siteIds?: readonly string[];
  from?: number;
  to?: number;
  limit: number;
}

/** The actor shown for a record whose personal fields retention removed. */
export const REDACTED_ACTOR = '(redacted)';

const COLUMNS = 'id, tenant_id, ts, action, target, result, site_id, personal_hash, hash';
const SQL = {
  last: 'SELECT hash FROM audit_log INDEXED BY audit_chain WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1',
  insertOnce: `INSERT OR IGNORE INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insert: `INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  personal: 'INSERT INTO audit_personal (seq, ts, salt, actor, source, details) VALUES (?, ?, ?, ?, ?, ?)',
  query: `SELECT a.id, a.ts, p.actor, a.action, a.target, a.result, a.site_id AS siteId, p.source, p.details
    FROM audit_log a LEFT JOIN audit_personal p ON p.seq = a.seq
    WHERE a.tenant_id = @tenantId AND (@siteId IS NULL OR a.site_id = @siteId)
      AND (@from IS NULL OR a.ts >= @from) AND (@to IS NULL OR a.ts < @to)
    ORDER BY a.ts DESC, a.seq DESC LIMIT @limit`,
  chain: `SELECT a.seq, a.id, a.tenant_id AS tenantId, a.ts, a.action, a.target, a.result, a.site_id AS siteId,
      a.personal_hash AS personalHash, a.hash, p.salt, p.actor, p.source, p.details
    FROM audit_log a INDEXED BY audit_chain LEFT JOIN audit_personal p ON p.seq = a.seq
    WHERE a.tenant_id = ? ORDER BY a.seq`,
  redact: `DELETE FROM audit_personal WHERE seq IN
    (SELECT seq FROM audit_personal INDEXED BY audit_personal_by_time WHERE ts < ? LIMIT ?)`,
  legacy: `SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_legacy'`,
  legacyRows: `SELECT id, tenant_id AS tenantId, ts, actor, action, target, result, site_id AS siteId, source, details
    FROM audit_legacy ORDER BY seq`,
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

type ChainRow = Omit<AuditRow, 'actor'> & {
  seq: number;
  tenantId: string;
  personalHash: string;
  hash: string;
  salt: Buffer | null;
  actor: string | null;
};

/**
 * The audit log. Append-only (triggers on `audit_log` refuse UPDATE and DELETE) and hash-chained
 * per tenant (store/audit-chain.ts). The fields that identify a person (actor, source, details)
 * live in `audit_personal`, which retention deletes; the record keeps their hash, so the chain
 * stays verifiable after redaction. The view `audit` shows both as one row (NULL once redacted).
 */
export class AuditStore {
  /** `chainKey` defaults to the `audit-chain` secret beside the database (random for an in-memory one). */
  constructor(
    private readonly db: Db,
    private readonly chainKey: Buffer = db.memory
      ? randomBytes(32)
      : loadOrCreateSecret(dirname(db.name), 'audit-chain'),
  ) {
    this.chainLegacy();
  }

  /** The content digest kept in a record's details (alert entries), if the record exists and is not redacted. */
  digestOf(id: string): string | undefined {
    const row = this.db.prepare("SELECT json_extract(details, '$.digest') AS digest FROM audit WHERE id = ?").get(id) as { digest: string | null } | undefined;
    return row?.digest ?? undefined;
  }

  /** Runs `fn` (appends) in one transaction. */
  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }

  append(tenantId: string, rec: Omit<AuditRecord, 'id' | 'ts'> & { ts?: number }): AuditRecord {
    const full: AuditRecord = { ...rec, id: randomUUID(), ts: rec.ts ?? Date.now() };
    this.insert(SQL.insert, tenantId, full);
    return full;
  }

  /**
   * Appends a record under an id derived from the fact it records (see stableAuditId); a fact
   * reported again (a re-sent batch, a document seen after a restart) adds nothing. True if new.
   */
  appendOnce(tenantId: string, rec: AuditRecord): boolean {
    return this.insert(SQL.insertOnce, tenantId, rec) === 1;
  }

  private insert(sql: string, tenantId: string, r: AuditRecord): number {
    return this.db.transaction(() => {
      // Read from the table, not a cached head: a rolled-back group commit must not fork the chain.
      const prev = (this.db.prepare(SQL.last).get(tenantId) as { hash: string } | undefined)?.hash ?? CHAIN_START;
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
      const res = this.db.prepare(sql).run(r.id, tenantId, r.ts, r.action, r.target, r.result, fields.siteId, ph, hash);
      if (res.changes === 1)
        this.db
          .prepare(SQL.personal)
          .run(res.lastInsertRowid, r.ts, personal.salt, personal.actor, personal.source, personal.details);
      return res.changes;
    })();
  }

  query(q: AuditQuery): AuditRecord[] {
    const rows = this.db.prepare(SQL.query).all({
      tenantId: q.tenantId,
      siteId: q.siteId ?? null,
      from: q.from ?? null,
      to: q.to ?? null,
      limit: q.siteIds ? q.limit * 4 : q.limit,
    }) as AuditRow[];
    const scoped = q.siteIds ? rows.filter((r) => r.siteId !== null && q.siteIds!.includes(r.siteId)) : rows;
    return scoped.slice(0, q.limit).map((r) => ({
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

  /** Removes the personal fields of up to `limit` records older than `before` (retention); returns how many. */
  redactBefore(before: number, limit: number): number {
    return withSecureDelete(this.db, () => this.db.prepare(SQL.redact).run(before, limit).changes);
  }

  /**
   * Walks a tenant's chain from its first record: every record's hash must follow from the one
   * before, and personal fields still present must match the hash the record keeps of them.
   */
  verifyAuditChain(tenantId: string): ChainReport {
    let prev = CHAIN_START;
    let records = 0;
    let redacted = 0;
    for (const r of this.db.prepare(SQL.chain).iterate(tenantId) as IterableIterator<ChainRow>) {
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
    }
    return { ok: true, records, redacted };
  }

  /**
   * Records written before the chain (the migration renamed their table to `audit_legacy`) are
   * appended to it in their order, personal fields split off, and the old table dropped with its
   * pages zeroed. A one-time cost at the first start of this version, in one transaction.
   */
  private chainLegacy(): void {
    if (!this.db.prepare(SQL.legacy).get()) return;
    withSecureDelete(this.db, () =>
      this.db.transaction(() => {
        type Legacy = Omit<AuditRow, 'actor'> & { tenantId: string; actor: string };
        for (const r of this.db.prepare(SQL.legacyRows).all() as Legacy[]) {
          this.insert(SQL.insert, r.tenantId, {
            id: r.id,
            ts: r.ts,
            actor: r.actor,
            action: r.action,
            target: r.target,
            result: r.result,
            ...(r.siteId ? { siteId: r.siteId } : {}),
            ...(r.source ? { source: r.source } : {}),
            ...(r.details ? { details: JSON.parse(r.details) as Record<string, unknown> } : {}),
          });
        }
        this.db.exec('DROP TABLE audit_legacy');
      })(),
    );
  }
}
