import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { AuditStore, REDACTED_ACTOR } from '../audit-store';
import { PgAuditStore } from '../postgres/pg-audit-store';
import { sqlitePort, type AuditPort } from '../ports';

const auditOf = (b: Backend, key = randomBytes(32)): AuditPort =>
  b.kind === 'sqlite' ? sqlitePort(new AuditStore(b.db, key)) : new PgAuditStore(b.pg, key);

const rec = (n: number, siteId = 'gangnam') => ({
  actor: `operator-${n}@example.com`,
  action: 'door.unlock',
  target: `door-${n}`,
  result: 'ok',
  siteId,
  source: '10.0.0.9',
  details: { reason: '택배 수령', n },
  ts: 1_000 + n,
});

/** A raw statement on the backend's own database (what someone with database access could run). */
async function raw(b: Backend, sql: string): Promise<void> {
  if (b.kind === 'sqlite') b.db.exec(sql);
  else await b.pg.pool.query(sql);
}

describeBackends('audit store', (current) => {
  it('returns records newest first, scoped by tenant, site, time and a site list', async () => {
    const a = auditOf(current());
    for (let i = 0; i < 6; i++) await a.append('t1', rec(i, i % 2 ? 'gangnam' : 'mapo'));
    await a.append('t2', rec(9));
    const all = await a.query({ tenantId: 't1', limit: 10 });
    expect(all.map((r) => r.target)).toEqual(['door-5', 'door-4', 'door-3', 'door-2', 'door-1', 'door-0']);
    expect(all[0]).toMatchObject({
      actor: 'operator-5@example.com',
      source: '10.0.0.9',
      details: { reason: '택배 수령', n: 5 },
    });
    expect((await a.query({ tenantId: 't1', siteId: 'mapo', limit: 10 })).map((r) => r.target)).toEqual([
      'door-4',
      'door-2',
      'door-0',
    ]);
    expect((await a.query({ tenantId: 't1', from: 1_002, to: 1_004, limit: 10 })).map((r) => r.target)).toEqual([
      'door-3',
      'door-2',
    ]);
    expect((await a.query({ tenantId: 't1', siteIds: ['gangnam'], limit: 2 })).map((r) => r.target)).toEqual([
      'door-5',
      'door-3',
    ]);
    expect(await a.query({ tenantId: 't3', limit: 10 })).toEqual([]);
  });

  it('chains every tenant and still verifies after retention removes the personal fields', async () => {
    const a = auditOf(current());
    for (let i = 0; i < 5; i++) await a.append('t1', rec(i));
    await a.append('t2', rec(7));
    expect(await a.verifyAuditChain('t1')).toEqual({ ok: true, records: 5, redacted: 0 });
    expect(await a.redactBefore(1_003, 10)).toBe(3);
    expect(await a.verifyAuditChain('t1')).toEqual({ ok: true, records: 5, redacted: 3 });
    const oldest = (await a.query({ tenantId: 't1', limit: 10 })).at(-1)!;
    expect(oldest.actor).toBe(REDACTED_ACTOR);
    expect(oldest).not.toHaveProperty('details');
    expect(await a.verifyAuditChain('t2')).toMatchObject({ ok: true, records: 1 });
  });

  it('a record under a stable id is stored once, and the chain stays whole', async () => {
    const a = auditOf(current());
    const once = { ...rec(1), id: 'alert-ack:t1:a-1', ts: 5 };
    expect(await a.appendOnce('t1', once)).toBe(true);
    expect(await a.appendOnce('t1', once)).toBe(false);
    expect(await a.query({ tenantId: 't1', limit: 10 })).toHaveLength(1);
    expect(await a.verifyAuditChain('t1')).toMatchObject({ ok: true, records: 1 });
  });

  it('refuses UPDATE and DELETE of a record, and detects a hash rewritten', async () => {
    const b = current();
    const a = auditOf(b);
    await a.append('t1', rec(1));
    await a.append('t1', rec(2));
    await expect(raw(b, `UPDATE audit_log SET result = 'denied'`)).rejects.toThrow(/append-only/);
    await expect(raw(b, `DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    // Someone who disables the guard and edits a record is caught by the chain.
    if (b.kind === 'postgres') {
      await raw(b, `ALTER TABLE audit_log DISABLE TRIGGER audit_no_change`);
      await raw(b, `UPDATE audit_log SET result = 'denied' WHERE target = 'door-1'`);
      await raw(b, `ALTER TABLE audit_log ENABLE TRIGGER audit_no_change`);
      expect(await a.verifyAuditChain('t1')).toMatchObject({ ok: false, reason: 'record', records: 0 });
    }
  });

  it('keeps one unforked chain when many writers append to one tenant at once', async () => {
    const key = randomBytes(32);
    const writers = [auditOf(current(), key), auditOf(current(), key), auditOf(current(), key)];
    await Promise.all(Array.from({ length: 30 }, (_, i) => writers[i % 3]!.append('t1', rec(i))));
    expect(await writers[0]!.verifyAuditChain('t1')).toEqual({ ok: true, records: 30, redacted: 0 });
  });

  it('a chain verified with another key fails', async () => {
    const b = current();
    await auditOf(b).append('t1', rec(1));
    expect(await auditOf(b).verifyAuditChain('t1')).toMatchObject({ ok: false });
  });
});
