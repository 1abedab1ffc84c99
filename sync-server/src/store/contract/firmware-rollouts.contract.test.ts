import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { FirmwareRolloutsStore, type RolloutRecord } from '../firmware-rollouts-store';
import { PgFirmwareRolloutsStore } from '../postgres/pg-firmware-rollouts-store';
import { sqlitePort, type FirmwareRolloutsPort } from '../ports';

const storeOf = (b: Backend): FirmwareRolloutsPort =>
  b.kind === 'sqlite' ? sqlitePort(new FirmwareRolloutsStore(b.db)) : new PgFirmwareRolloutsStore(b.pg);

const rollout = (id: string, tenantId = 't1'): RolloutRecord => ({
  id,
  tenantId,
  siteId: 'a',
  version: '2.0.0',
  url: 'https://fw.example/2.0.0.bin',
  sha256: 'a'.repeat(64),
  batchSize: 2,
  maxFailures: 0,
  state: 'running',
  createdBy: 'u1',
  createdAt: 1,
  updatedAt: 1,
  devices: [{ deviceId: 'd1', state: 'queued' }, { deviceId: 'd2', state: 'queued' }],
});

describeBackends('firmware rollouts store', (current) => {
  it('keeps a rollout per tenant and saves its progress whole', async () => {
    const s = storeOf(current());
    await s.insert(rollout('r1'));
    await s.insert(rollout('r1', 't2'));
    const next: RolloutRecord = { ...rollout('r1'), updatedAt: 2, devices: [{ deviceId: 'd1', state: 'failed', error: 'bad image' }, { deviceId: 'd2', state: 'skipped' }], state: 'aborted' };
    await s.save(next);
    expect(await s.byId('t1', 'r1')).toEqual(next);
    expect((await s.byId('t2', 'r1'))?.state).toBe('running');
    expect(await s.byId('t3', 'r1')).toBeUndefined();
  });

  it('lists only running rollouts, for a restarted cloud to resume', async () => {
    const s = storeOf(current());
    await s.insert(rollout('r1'));
    await s.insert(rollout('r2'));
    await s.save({ ...rollout('r2'), state: 'done', updatedAt: 3 });
    expect((await s.running()).map((r) => r.id)).toEqual(['r1']);
  });

  it('refuses a second rollout with the same id in a tenant', async () => {
    const s = storeOf(current());
    await s.insert(rollout('r1'));
    await expect(s.insert(rollout('r1'))).rejects.toThrow();
  });
});
