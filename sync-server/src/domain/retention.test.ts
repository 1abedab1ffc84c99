import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '@cr/shared';
import { GroupCommit } from '@cr/store-kit';
import { openDb, type Db } from '../store/db';
import { EventsStore } from '../store/events-store';
import { TokensStore } from '../store/tokens-store';
import { AuditStore, REDACTED_ACTOR } from '../store/audit-store';
import { CommandsStore } from '../store/commands-store';
import { ReportsStore } from '../store/reports-store';
import { RETENTION_STEP_ROWS, runRetention, type RetentionDeps } from './retention';

const NOW = Date.UTC(2025, 5, 1);
const ago = (days: number) => NOW - days * DAY_MS;

let dir: string;
let db: Db;
let d: RetentionDeps;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cloud-retention-'));
  db = openDb(join(dir, 'cloud.db'));
  db.exec(`INSERT INTO tenants (id, name, created_at) VALUES ('t1', 'T', 0);
    INSERT INTO users (id, tenant_id, email, name, role, site_ids, password_hash, created_at)
    VALUES ('u1', 't1', 'u1@t1.test', 'U', 'hq-operator', '[]', 'x', 0)`);
  d = {
    db,
    commits: new GroupCommit(db, { flushLogOffLoop: true }),
    events: new EventsStore(db),
    tokens: new TokensStore(db),
    audit: new AuditStore(db),
    config: { retentionDays: 90 },
  };
});
afterEach(async () => {
  await d.commits.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const event = (type: string, ageDays: number, id: string = randomUUID()) => ({
  id,
  type,
  ts: ago(ageDays),
  data: { memberId: `m-${id}` },
});
const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;

function seedEveryTable(): void {
  d.events.insertBatch('t1', 's1', [
    event('access.granted', 91, 'old-access'),
    event('door.forced', 200, 'old-door'),
    event('device.offline', 120, 'old-device'),
    event('command.executed', 95, 'old-command-event'),
    event('access.denied', 89, 'new-access'),
    event('door.forced', 10, 'new-door'),
  ]);
  const commands = new CommandsStore(db);
  const cmd = (id: string, createdAt: number, status: 'executed' | 'pending') =>
    commands.insert({
      id,
      tenantId: 't1',
      siteId: 's1',
      target: { kind: 'door', doorId: 'd1', action: 'unlock' } as never,
      reason: 'visit by Mr Park',
      issuedBy: 'u1',
      issuerRole: 'hq-operator',
      status,
      createdAt,
      updatedAt: createdAt,
      expiresAt: createdAt + 10_000,
    });
  cmd('cmd-old', ago(100), 'executed');
  cmd('cmd-new', ago(5), 'executed');
  cmd('cmd-old-open', ago(100), 'pending');
  d.tokens.addRefresh('rt-old', 'u1', 'f1', ago(91), ago(120));
  d.tokens.addRefresh('rt-recent', 'u1', 'f2', ago(30), ago(60));
  d.tokens.addRefresh('rt-live', 'u1', 'f3', NOW + DAY_MS, NOW);
  const reports = new ReportsStore(db);
  for (const [id, age] of [
    ['rep-old', 100],
    ['rep-new', 3],
  ] as const) {
    reports.insert({
      id,
      tenantId: 't1',
      siteId: null,
      period: 'daily',
      format: 'csv',
      from: ago(age + 1),
      to: ago(age),
      status: 'queued',
      progress: 0,
      createdBy: 'u1',
      createdAt: ago(age),
    });
    reports.finish(id, Buffer.from('site,granted\n'), undefined, ago(age));
  }
  d.audit.append('t1', {
    ts: ago(95),
    actor: 'old.operator@t1.test',
    action: 'door.unlock',
    target: 'site:s1/door:d1',
    result: 'executed',
    siteId: 's1',
    source: '10.1.2.3',
    details: { reason: 'visit by Mr Park' },
  });
  d.audit.append('t1', {
    ts: ago(2),
    actor: 'new.operator@t1.test',
    action: 'door.lock',
    target: 'site:s1/door:d1',
    result: 'executed',
    siteId: 's1',
    source: '10.9.9.9',
  });
}

describe('retention', () => {
  it('removes what is older than the retention period from every table of personal data and keeps the rest', async () => {
    seedEveryTable();
    const report = await runRetention(d, NOW);

    const ids = (sql: string) => (db.prepare(sql).all() as Array<{ id: string }>).map((r) => r.id).sort();
    expect(ids('SELECT id FROM events')).toEqual(['new-access', 'new-door']);
    // A command still waiting for its door is never removed under it.
    expect(ids('SELECT id FROM commands')).toEqual(['cmd-new', 'cmd-old-open']);
    expect(ids('SELECT token_hash AS id FROM refresh_tokens')).toEqual(['rt-live', 'rt-recent']);
    expect(ids('SELECT id FROM report_jobs')).toEqual(['rep-new']);
    expect(report.deleted).toEqual({ events: 4, commands: 1, refreshTokens: 1, reports: 1, auditRedacted: 1 });

    // The audit keeps both records; the old one without who, from where and details.
    expect(count('SELECT COUNT(*) AS n FROM audit')).toBe(2);
    const [recent, old] = d.audit.query({ tenantId: 't1', limit: 10 });
    expect(recent).toMatchObject({ actor: 'new.operator@t1.test', source: '10.9.9.9' });
    expect(old).toEqual({
      id: old!.id,
      ts: ago(95),
      actor: REDACTED_ACTOR,
      action: 'door.unlock',
      target: 'site:s1/door:d1',
      result: 'executed',
      siteId: 's1',
    });
    expect(d.audit.verifyAuditChain('t1')).toEqual({ ok: true, records: 2, redacted: 1 });
  });

  it('leaves no trace of what it removed in the database file', async () => {
    seedEveryTable();
    await runRetention(d, NOW);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = ['cloud.db', 'cloud.db-wal']
      .filter((f) => existsSync(join(dir, f)))
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('');
    expect(bytes).toContain('new.operator@t1.test');
    for (const gone of ['old.operator@t1.test', '10.1.2.3', 'm-old-access', 'm-old-door'])
      expect(bytes).not.toContain(gone);
  });

  it('takes its period from the configuration', async () => {
    d.events.insertBatch('t1', 's1', [event('access.granted', 40, 'forty'), event('access.granted', 20, 'twenty')]);
    await runRetention({ ...d, config: { ...d.config, retentionDays: 30 } }, NOW);
    expect((db.prepare('SELECT id FROM events').all() as Array<{ id: string }>).map((r) => r.id)).toEqual(['twenty']);
  });

  it('stops between steps once told to', async () => {
    d.events.insertBatch(
      't1',
      's1',
      Array.from({ length: 3 * RETENTION_STEP_ROWS }, () => event('access.granted', 100)),
    );
    const stop = new AbortController();
    const pass = runRetention(d, NOW, stop.signal);
    stop.abort();
    const report = await pass;
    expect(report.steps).toBe(1);
    expect(count('SELECT COUNT(*) AS n FROM events')).toBe(2 * RETENTION_STEP_ROWS);
  });

  it('goes through 200,000 rows in steps of at most 1,000 without holding the event loop', async () => {
    const insert = db.prepare(`INSERT INTO events (tenant_id, site_id, id, type, ts, device_id, data, received_at)
      VALUES ('t1', ?, ?, ?, ?, 'reader-1', '{"memberId":"m-1","reason":"granted"}', ?)`);
    const types = ['access.granted', 'access.denied', 'door.opened', 'device.online'];
    db.transaction(() => {
      for (let i = 0; i < 200_000; i++) insert.run(`s${i % 7}`, `old-${i}`, types[i % 4], ago(91) - i, ago(91));
      for (let i = 0; i < 500; i++) insert.run('s1', `new-${i}`, types[i % 4], ago(1), ago(1));
    })();

    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const report = await runRetention(d, NOW);
    loop.disable();

    expect(report.deleted.events).toBe(200_000);
    expect(count('SELECT COUNT(*) AS n FROM events')).toBe(500);
    expect(report.steps).toBeGreaterThanOrEqual(200);
    // Targets: ~50 ms per step on the reference machine; asserted loosely (shared CI cores).
    expect(report.maxStepMs).toBeLessThan(200);
    expect(loop.max / 1e6).toBeLessThan(200);
  }, 60_000);
});
