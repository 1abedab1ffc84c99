import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { ReportsStore, type ReportJob } from '../reports-store';
import { PgReportsStore } from '../postgres/pg-reports-store';
import { sqlitePort, type ReportsPort } from '../ports';

const storeOf = (b: Backend): ReportsPort =>
  b.kind === 'sqlite' ? sqlitePort(new ReportsStore(b.db)) : new PgReportsStore(b.pg);

const job = (id: string, over: Partial<ReportJob> = {}): ReportJob => ({
  id,
  tenantId: 't1',
  siteId: 's1',
  period: 'daily',
  format: 'csv',
  from: 1_700_000_000_000,
  to: 1_700_086_400_000,
  status: 'queued',
  progress: 0,
  createdBy: 'user-1',
  createdAt: 1000,
  ...over,
});

describeBackends('reports store', (current) => {
  it('returns a job as inserted, and nothing for an unknown id', async () => {
    const s = storeOf(current());
    await s.insert(job('r1'));
    await s.insert(job('r2', { siteId: null, period: 'monthly', format: 'pdf' }));
    expect(await s.byId('r1')).toEqual(job('r1'));
    expect(await s.byId('r2')).toEqual(job('r2', { siteId: null, period: 'monthly', format: 'pdf' }));
    expect(Object.keys((await s.byId('r1'))!)).not.toContain('finishedAt');
    expect(await s.byId('nope')).toBeUndefined();
    expect(await s.content('nope')).toBeUndefined();
  });

  it('lists a tenant jobs newest first', async () => {
    const s = storeOf(current());
    await s.insert(job('r1', { createdAt: 10 }));
    await s.insert(job('r2', { createdAt: 30 }));
    await s.insert(job('r3', { createdAt: 20 }));
    await s.insert(job('r4', { createdAt: 40, tenantId: 't2' }));
    expect((await s.ofTenant('t1')).map((j) => j.id)).toEqual(['r2', 'r3', 'r1']);
    expect(await s.ofTenant('t2')).toEqual([job('r4', { createdAt: 40, tenantId: 't2' })]);
    expect(await s.ofTenant('t3')).toEqual([]);
  });

  it('records progress, then the finished file byte for byte, or the error', async () => {
    const s = storeOf(current());
    await s.insert(job('r1'));
    await s.insert(job('r2'));
    await s.setProgress('r1', 0.35);
    expect(await s.byId('r1')).toEqual(job('r1', { status: 'running', progress: 0.35 }));
    expect(await s.content('r1')).toBeUndefined();
    const bytes = Buffer.concat([Buffer.from([0, 1, 2, 255, 254, 0]), Buffer.from('시각,출입\n09:00,허용\n', 'utf8')]);
    await s.finish('r1', bytes, undefined, 5000);
    expect(await s.byId('r1')).toEqual(job('r1', { status: 'done', progress: 1, finishedAt: 5000 }));
    const content = await s.content('r1');
    expect(Buffer.isBuffer(content)).toBe(true);
    expect(content!.equals(bytes)).toBe(true);
    await s.finish('r2', null, 'no events in range', 6000);
    expect(await s.byId('r2')).toEqual(
      job('r2', { status: 'failed', progress: 1, error: 'no events in range', finishedAt: 6000 }),
    );
    expect(await s.content('r2')).toBeUndefined();
  });

  it('deletes finished jobs created before a time, up to a limit, and keeps running ones', async () => {
    const s = storeOf(current());
    for (let i = 0; i < 4; i++) {
      await s.insert(job(`old${i}`, { createdAt: 100 + i }));
      await s.finish(`old${i}`, Buffer.from('x'), i % 2 ? 'failed' : undefined, 200);
    }
    await s.insert(job('old-queued', { createdAt: 100 }));
    await s.insert(job('old-running', { createdAt: 100 }));
    await s.setProgress('old-running', 0.5);
    await s.insert(job('new', { createdAt: 500 }));
    await s.finish('new', Buffer.from('y'), undefined, 600);
    expect(await s.deleteBefore(500, 3)).toBe(3);
    expect(await s.deleteBefore(500, 3)).toBe(1);
    expect(await s.deleteBefore(500, 3)).toBe(0);
    expect((await s.ofTenant('t1')).map((j) => j.id).sort()).toEqual(['new', 'old-queued', 'old-running']);
    expect((await s.content('new'))!.toString()).toBe('y');
  });
});
