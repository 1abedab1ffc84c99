import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { CommandsStore, type CommandRecord } from '../commands-store';
import { PgCommandsStore } from '../postgres/pg-commands-store';
import { sqlitePort, type CommandsPort } from '../ports';

const storeOf = (b: Backend): CommandsPort =>
  b.kind === 'sqlite' ? sqlitePort(new CommandsStore(b.db)) : new PgCommandsStore(b.pg);

const cmd = (id: string, over: Partial<CommandRecord> = {}): CommandRecord => ({
  id,
  tenantId: 't1',
  siteId: 's1',
  target: { kind: 'door', doorId: 'door-1', action: 'pulse-unlock', durationMs: 5000 },
  reason: '택배 기사 출입',
  issuedBy: 'user-1',
  issuerRole: 'operator',
  status: 'pending',
  createdAt: 1000,
  updatedAt: 1000,
  expiresAt: 61_000,
  ...over,
});

describeBackends('commands store', (current) => {
  it('returns a command as inserted, and nothing for an unknown id', async () => {
    const s = storeOf(current());
    const c = cmd('c1', { target: { kind: 'mode', mode: 'lockdown' } });
    await s.insert(c);
    await s.insert(cmd('c2', { status: 'rejected', error: 'not allowed' }));
    expect(await s.byId('c1')).toEqual(c);
    expect(await s.byId('c2')).toEqual(cmd('c2', { status: 'rejected', error: 'not allowed' }));
    expect(await s.byId('nope')).toBeUndefined();
    await expect(s.insert(c)).rejects.toThrow();
  });

  it('moves a command only while it is pending or sent, and never rewrites a final status', async () => {
    const s = storeOf(current());
    await s.insert(cmd('c1'));
    expect(await s.transition('c1', 'sent', undefined, 2000)).toBe(true);
    expect(await s.byId('c1')).toEqual(cmd('c1', { status: 'sent', updatedAt: 2000 }));
    const doors = [
      { doorId: 'door-1', result: 'confirmed' as const },
      { doorId: 'door-2', result: 'failed' as const, error: '응답 없음' },
    ];
    expect(await s.transition('c1', 'executed', undefined, 3000, doors)).toBe(true);
    expect(await s.byId('c1')).toEqual(cmd('c1', { status: 'executed', updatedAt: 3000, doors }));
    expect(await s.transition('c1', 'failed', 'late outcome', 4000)).toBe(false);
    expect(await s.transition('c1', 'sent', undefined, 4000)).toBe(false);
    expect(await s.byId('c1')).toEqual(cmd('c1', { status: 'executed', updatedAt: 3000, doors }));
    await s.insert(cmd('c2'));
    expect(await s.transition('c2', 'failed', 'door offline', 5000)).toBe(true);
    expect(await s.byId('c2')).toEqual(cmd('c2', { status: 'failed', error: 'door offline', updatedAt: 5000 }));
    expect(await s.transition('missing', 'sent', undefined)).toBe(false);
  });

  it('lists the open commands and counts commands by status in a range of one site', async () => {
    const s = storeOf(current());
    await s.insert(cmd('c1', { createdAt: 10 }));
    await s.insert(cmd('c2', { createdAt: 20, status: 'sent' }));
    await s.insert(cmd('c3', { createdAt: 30, status: 'executed' }));
    await s.insert(cmd('c4', { createdAt: 40, status: 'expired' }));
    await s.insert(cmd('c5', { createdAt: 50, siteId: 's2' }));
    await s.insert(cmd('c6', { createdAt: 60, status: 'executed' }));
    expect((await s.open()).map((c) => c.id).sort()).toEqual(['c1', 'c2', 'c5']);
    expect((await s.open()).find((c) => c.id === 'c2')).toEqual(cmd('c2', { createdAt: 20, status: 'sent' }));
    expect(await s.countByStatus('t1', 's1', 10, 60)).toEqual(
      new Map([
        ['pending', 1],
        ['sent', 1],
        ['executed', 1],
        ['expired', 1],
      ]),
    );
    expect(await s.countByStatus('t1', 's1', 20, 61)).toEqual(
      new Map([
        ['sent', 1],
        ['executed', 2],
        ['expired', 1],
      ]),
    );
    expect(await s.countByStatus('t2', 's1', 0, 100)).toEqual(new Map());
    await s.transition('c1', 'expired', undefined);
    expect((await s.open()).map((c) => c.id).sort()).toEqual(['c2', 'c5']);
  });

  it('deletes final commands created before a time, up to a limit, and keeps open ones', async () => {
    const b = current();
    if (b.kind !== 'postgres') return;
    const s = new PgCommandsStore(b.pg);
    for (let i = 0; i < 5; i++)
      await s.insert(cmd(`old${i}`, { createdAt: 100 + i, status: i % 2 ? 'failed' : 'executed' }));
    await s.insert(cmd('old-pending', { createdAt: 100 }));
    await s.insert(cmd('old-sent', { createdAt: 100, status: 'sent' }));
    await s.insert(cmd('new', { createdAt: 500, status: 'executed' }));
    expect(await s.deleteBefore(500, 3)).toBe(3);
    expect(await s.deleteBefore(500, 3)).toBe(2);
    expect(await s.deleteBefore(500, 3)).toBe(0);
    expect(await s.byId('new')).toBeDefined();
    expect((await s.open()).map((c) => c.id)).toEqual(['old-pending', 'old-sent']);
    expect(await s.deleteBefore(501, 10)).toBe(1);
    expect(await s.byId('new')).toBeUndefined();
  });
});
