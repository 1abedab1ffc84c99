import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceGate } from '../../testing/services';
import { REDACTED_ACTOR } from '../audit-store';
import { openPostgres, type PgDb } from './pg-db';
import { createTestDatabase, TEST_PG_URL } from './test-database';
import { PgJobLeases } from './pg-job-leases';
import { PgEventsStore } from './pg-events-store';
import { PgCommandsStore } from './pg-commands-store';
import { PgTokensStore } from './pg-tokens-store';
import { PgReportsStore } from './pg-reports-store';
import { PgAuditStore } from './pg-audit-store';
import { runPostgresRetention } from './pg-retention';

const gate = serviceGate('PostgreSQL', TEST_PG_URL);
const DAY = 86_400_000;

describe.runIf(gate.available())('background jobs shared by instances on PostgreSQL', () => {
  let pg: PgDb;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const tdb = await createTestDatabase('cr_jobs');
    drop = tdb.drop;
    pg = await openPostgres(tdb.url, { max: 4 });
  });
  afterAll(async () => {
    await pg?.close();
    await drop?.();
  });

  it('gives a lease to one instance at a time, renews it for its holder and hands it on once it ran out', async () => {
    const leases = new PgJobLeases(pg);
    const job = `retention-${randomBytes(3).toString('hex')}`;
    // Ten instances ask at the same moment: exactly one holds it.
    const asked = await Promise.all(Array.from({ length: 10 }, (_, i) => leases.acquire(job, `cloud-${i}`, 60_000)));
    expect(asked.filter(Boolean)).toHaveLength(1);
    const holder = `cloud-${asked.indexOf(true)}`;
    const other = holder === 'cloud-0' ? 'cloud-1' : 'cloud-0';
    expect(await leases.acquire(job, holder, 300)).toBe(true);
    expect(await leases.acquire(job, other, 60_000)).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect(await leases.acquire(job, other, 60_000)).toBe(true);
    expect(await leases.acquire(job, holder, 60_000)).toBe(false);
    // Only the holder's release frees it.
    await leases.release(job, holder);
    expect(await leases.acquire(job, holder, 60_000)).toBe(false);
    await leases.release(job, other);
    expect(await leases.acquire(job, holder, 60_000)).toBe(true);
  });

  it('drops whole event partitions past retention, deletes the older rest, and redacts old audit records', async () => {
    const events = new PgEventsStore(pg);
    const now = Date.UTC(2026, 5, 20, 12);
    await events.ensurePartitions(now - 10 * DAY, 12);
    const cutoff = now - 5 * DAY;
    const ts = [now - 9 * DAY, now - 7 * DAY, cutoff - 3_600_000, cutoff + 3_600_000, now - DAY];
    await events.insertBatch(
      't1',
      's1',
      ts.map((t, i) => ({ id: `e${i}`, type: i % 2 ? 'access.granted' : 'door.opened', ts: t })),
      now,
    );
    const audit = new PgAuditStore(pg, randomBytes(32));
    await audit.append('t1', { ts: cutoff - DAY, actor: 'kim@example.com', action: 'door.unlock', target: 's1/d1', result: 'executed' });
    await audit.append('t1', { ts: now, actor: 'lee@example.com', action: 'door.unlock', target: 's1/d1', result: 'executed' });
    const commands = new PgCommandsStore(pg);
    const cmd = (id: string, at: number) => ({
      id,
      tenantId: 't1',
      siteId: 's1',
      target: { kind: 'door' as const, doorId: 'd1', action: 'unlock' as const },
      reason: 'visitor',
      issuedBy: 'u1',
      issuerRole: 'operator',
      status: 'executed' as const,
      createdAt: at,
      updatedAt: at,
      expiresAt: at + 10_000,
    });
    await commands.insert(cmd('old', cutoff - DAY));
    await commands.insert(cmd('new', now));

    const report = await runPostgresRetention(
      { events, commands, tokens: new PgTokensStore(pg), reports: new PgReportsStore(pg), audit },
      cutoff,
    );

    const left = (await events.page({ tenantId: 't1', siteId: 's1', limit: 100 })).map((e) => e.id).sort();
    expect(left).toEqual(['e3', 'e4']);
    expect(report.partitionsDropped.length).toBeGreaterThanOrEqual(4);
    expect(report.deleted.events).toBe(1);
    expect(await commands.byId('old')).toBeUndefined();
    expect(await commands.byId('new')).toBeDefined();
    const actors = (await audit.query({ tenantId: 't1', limit: 10 })).map((r) => r.actor).sort();
    expect(actors).toEqual([REDACTED_ACTOR, 'lee@example.com'].sort());
    expect((await audit.verifyAuditChain('t1')).ok).toBe(true);
  });
});
