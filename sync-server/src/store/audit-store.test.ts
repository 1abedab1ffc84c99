import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from './db';
import { AuditStore, REDACTED_ACTOR } from './audit-store';

let dir: string;
let db: Db;
let audit: AuditStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-audit-'));
  db = openDb(join(dir, 'cloud.db'));
  audit = new AuditStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
/** Five records of tenant t1 (old ones first) interleaved with records of t2. */
function seed(): void {
  for (let i = 0; i < 5; i++) {
    audit.append('t1', {
      ts: 1_000_000 + i * DAY,
      actor: `operator${i}@t1.test`,
      action: 'door.unlock',
      target: 'site:s1/door:d1',
      result: 'executed',
      siteId: 's1',
      source: `10.0.0.${i}`,
      details: { reason: `visit ${i}` },
    });
    audit.append('t2', {
      ts: 1_000_000 + i * DAY,
      actor: 'someone@t2.test',
      action: 'auth.login',
      target: 'u-2',
      result: 'ok',
    });
  }
}
const seqOf = (i: number): number =>
  (
    db.prepare("SELECT seq FROM audit_log WHERE tenant_id = 't1' ORDER BY seq LIMIT 1 OFFSET ?").get(i) as {
      seq: number;
    }
  ).seq;
/** What someone with write access to the file can do: the triggers are no obstacle to them. */
const asAttacker = (sql: string, ...args: unknown[]) => {
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
  db.prepare(sql).run(...args);
};

describe('audit hash chain', () => {
  it('verifies per tenant', () => {
    seed();
    expect(audit.verifyAuditChain('t1')).toEqual({ ok: true, records: 5, redacted: 0 });
    expect(audit.verifyAuditChain('t2')).toEqual({ ok: true, records: 5, redacted: 0 });
    expect(audit.verifyAuditChain('nobody')).toEqual({ ok: true, records: 0, redacted: 0 });
  });

  it('stays valid after retention redacts the personal fields, which are gone from every read', () => {
    seed();
    expect(audit.redactBefore(1_000_000 + 2 * DAY, 1000)).toBe(4);
    expect(audit.verifyAuditChain('t1')).toEqual({ ok: true, records: 5, redacted: 2 });
    expect(audit.verifyAuditChain('t2')).toEqual({ ok: true, records: 5, redacted: 2 });
    const t1 = audit.query({ tenantId: 't1', limit: 10 });
    expect(t1.map((r) => r.actor)).toEqual([
      'operator4@t1.test',
      'operator3@t1.test',
      'operator2@t1.test',
      REDACTED_ACTOR,
      REDACTED_ACTOR,
    ]);
    expect(t1[4]).not.toHaveProperty('source');
    expect(t1[4]).not.toHaveProperty('details');
    // The record itself is still there in full: what, to what, when, with what result.
    expect(t1[4]).toMatchObject({
      action: 'door.unlock',
      target: 'site:s1/door:d1',
      result: 'executed',
      siteId: 's1',
      ts: 1_000_000,
    });
    // Readers of the `audit` view see the same.
    expect(db.prepare("SELECT actor, details FROM audit WHERE tenant_id = 't1' ORDER BY seq LIMIT 1").get()).toEqual({
      actor: null,
      details: null,
    });
  });

  it('still refuses UPDATE and DELETE from the application', () => {
    seed();
    expect(() => db.prepare("UPDATE audit_log SET result = 'ok'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });

  it.each<[string, string, 'record' | 'personal']>([
    ['result', "UPDATE audit_log SET result = 'failed' WHERE seq = ?", 'record'],
    ['action', "UPDATE audit_log SET action = 'door.lock' WHERE seq = ?", 'record'],
    ['target', "UPDATE audit_log SET target = 'site:s1/door:d2' WHERE seq = ?", 'record'],
    ['time', 'UPDATE audit_log SET ts = ts + 1 WHERE seq = ?', 'record'],
    ['site', "UPDATE audit_log SET site_id = 's2' WHERE seq = ?", 'record'],
    ['id', "UPDATE audit_log SET id = 'other' WHERE seq = ?", 'record'],
    ['personal hash', "UPDATE audit_log SET personal_hash = 'x' WHERE seq = ?", 'personal'],
    ['actor', "UPDATE audit_personal SET actor = 'someone.else@t1.test' WHERE seq = ?", 'personal'],
    ['source', "UPDATE audit_personal SET source = '192.168.0.1' WHERE seq = ?", 'personal'],
    ['details', `UPDATE audit_personal SET details = '{"reason":"other"}' WHERE seq = ?`, 'personal'],
    ['salt', 'UPDATE audit_personal SET salt = zeroblob(16) WHERE seq = ?', 'personal'],
  ])('detects an edited %s at the record edited', (_field, sql, reason) => {
    seed();
    asAttacker(sql, seqOf(2));
    expect(audit.verifyAuditChain('t1')).toMatchObject({ ok: false, records: 2, brokenAt: { seq: seqOf(2) }, reason });
  });

  it('detects the personal hash of a redacted record edited', () => {
    seed();
    audit.redactBefore(1_000_000 + 3 * DAY, 1000);
    asAttacker("UPDATE audit_log SET personal_hash = 'x' WHERE seq = ?", seqOf(1));
    expect(audit.verifyAuditChain('t1')).toMatchObject({ ok: false, brokenAt: { seq: seqOf(1) }, reason: 'record' });
  });

  it('detects a stored hash rewritten', () => {
    seed();
    asAttacker("UPDATE audit_log SET hash = 'x' WHERE seq = ?", seqOf(2));
    expect(audit.verifyAuditChain('t1')).toMatchObject({ ok: false, brokenAt: { seq: seqOf(2) } });
  });

  it('detects a record deleted from the middle (at the record after it)', () => {
    seed();
    const [second, third] = [seqOf(1), seqOf(2)];
    asAttacker('DELETE FROM audit_log WHERE seq = ?', second);
    expect(audit.verifyAuditChain('t1')).toMatchObject({ ok: false, brokenAt: { seq: third }, reason: 'record' });
  });

  it('detects personal fields swapped between two records', () => {
    seed();
    const [a, b] = [seqOf(1), seqOf(3)];
    asAttacker('UPDATE audit_personal SET seq = -1 WHERE seq = ?', a);
    asAttacker('UPDATE audit_personal SET seq = ? WHERE seq = ?', a, b);
    asAttacker('UPDATE audit_personal SET seq = ? WHERE seq = -1', b);
    expect(audit.verifyAuditChain('t1')).toMatchObject({ ok: false, brokenAt: { seq: a }, reason: 'personal' });
  });

  it('detects a forged record appended with a recomputed hash by someone without the chain key', () => {
    seed();
    const prev = (
      db.prepare("SELECT hash FROM audit_log WHERE tenant_id = 't1' ORDER BY seq DESC LIMIT 1").get() as {
        hash: string;
      }
    ).hash;
    const sha = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex');
    const personal = sha(['personal', '00', 'admin@t1.test', null, null]);
    const hash = sha([
      'record',
      prev,
      'forged',
      't1',
      2_000_000_000,
      'door.unlock',
      'site:s1/door:d1',
      'executed',
      's1',
      personal,
    ]);
    db.prepare(
      `INSERT INTO audit_log (id, tenant_id, ts, action, target, result, site_id, personal_hash, hash)
      VALUES ('forged', 't1', 2000000000, 'door.unlock', 'site:s1/door:d1', 'executed', 's1', ?, ?)`,
    ).run(personal, hash);
    expect(audit.verifyAuditChain('t1')).toMatchObject({ ok: false, records: 5, brokenAt: { id: 'forged' } });
  });

  it('keeps the chain across a restart and continues it', () => {
    seed();
    db.close();
    db = openDb(join(dir, 'cloud.db'));
    audit = new AuditStore(db);
    audit.append('t1', { actor: 'later@t1.test', action: 'site.update', target: 'site:s1', result: 'ok' });
    expect(audit.verifyAuditChain('t1')).toEqual({ ok: true, records: 6, redacted: 0 });
  });

  it('a record re-sent under its stable id adds nothing and keeps the chain', () => {
    const rec = {
      id: 'stable-1',
      ts: 5,
      actor: 'edge:s1',
      action: 'fire.alarm',
      target: 'site:s1',
      result: 'executed',
    };
    expect(audit.appendOnce('t1', rec)).toBe(true);
    expect(audit.appendOnce('t1', { ...rec, actor: 'someone else' })).toBe(false);
    expect(audit.query({ tenantId: 't1', limit: 5 })).toHaveLength(1);
    expect(audit.verifyAuditChain('t1')).toEqual({ ok: true, records: 1, redacted: 0 });
  });
});
