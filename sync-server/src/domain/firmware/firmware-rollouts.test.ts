import { describe, expect, it } from 'vitest';
import { generateSigningKeys, verifyFirmwareManifest, type CloudToEdge, type UserPrincipal } from '@cr/shared';
import { openDb } from '../../store/db';
import { AuditStore } from '../../store/audit-store';
import { FirmwareRolloutsStore } from '../../store/firmware-rollouts-store';
import { sqlitePort } from '../../store/ports';
import { createCloudLog } from '../../log';
import { FirmwareRollouts } from './firmware-rollouts';

const admin: UserPrincipal = { kind: 'user', userId: 'u1', tenantId: 't1', role: 'tenant-admin', siteIds: [], name: 'Admin' } as UserPrincipal;
const reported = ['d1', 'd2', 'd3'].map((id) => ({ id, kind: 'env' as const, name: id, online: true, approval: 'approved' as const }));

describe('firmware rollouts across a cloud restart', () => {
  it('keeps devices queued while the edge is offline and a restarted cloud sends them, signed', async () => {
    const db = openDb(':memory:');
    const keys = await generateSigningKeys();
    const deps = (online: boolean, sent: CloudToEdge[]) => ({
      store: sqlitePort(new FirmwareRolloutsStore(db)),
      hub: { deliver: async (_t: string, _s: string, msg: CloudToEdge) => (online ? (sent.push(msg), 'sent' as const) : ('offline' as const)) },
      devices: { reported: () => reported },
      audit: sqlitePort(new AuditStore(db)),
      privateKey: keys.privateKey,
      log: createCloudLog({ level: 'silent' }),
      inMaintenance: async () => false,
    });
    const before = new FirmwareRollouts(deps(false, []));
    const body = { deviceIds: ['d1', 'd2', 'd3'], version: '2.0.0', url: 'https://fw.example/2.bin', sha256: 'a'.repeat(64), batchSize: 2, maxFailures: 0 };
    const created = await before.create(admin, 's1', body, 'test');
    expect(created.devices.map((d) => d.state)).toEqual(['queued', 'queued', 'queued']);

    const sent: CloudToEdge[] = [];
    const after = new FirmwareRollouts(deps(true, sent));
    await after.tick();
    expect((await after.get('t1', created.id)).devices.map((d) => d.state)).toEqual(['sent', 'sent', 'queued']);
    const jwk = (await crypto.subtle.exportKey('jwk', keys.publicKey)) as Record<string, unknown>;
    for (const m of sent) {
      if (m.type !== 'firmware.update') throw new Error(m.type);
      expect(await verifyFirmwareManifest(jwk, m.manifest, m.signature)).toBe(true);
    }
    // A report from another site's edge settles nothing (threat: an edge settling another site's rollout).
    await after.progress('t1', 's2', { type: 'firmware.progress', rolloutId: created.id, deviceId: 'd1', state: 'failed', ts: 1 });
    expect((await after.get('t1', created.id)).state).toBe('running');
    await after.progress('t1', 's1', { type: 'firmware.progress', rolloutId: created.id, deviceId: 'd1', state: 'done', ts: 1 });
    await after.progress('t1', 's1', { type: 'firmware.progress', rolloutId: created.id, deviceId: 'd2', state: 'done', ts: 1 });
    expect((await after.get('t1', created.id)).devices.map((d) => d.state)).toEqual(['done', 'done', 'sent']);
    await expect(before.create(admin, 's1', { ...body, deviceIds: ['ghost'] }, 'test')).rejects.toThrow(/ghost/);
  });

  it('sends doors, readers and fire panels their update only inside a maintenance window; other devices at once', async () => {
    const db = openDb(':memory:');
    const keys = await generateSigningKeys();
    const devices = [
      { id: 'door-1', kind: 'door' as const, name: 'Door', online: true, approval: 'approved' as const },
      { id: 'env-1', kind: 'env' as const, name: 'Env', online: true, approval: 'approved' as const },
    ];
    const sent: string[] = [];
    let window = false;
    const rollouts = new FirmwareRollouts({
      store: sqlitePort(new FirmwareRolloutsStore(db)),
      hub: { deliver: async (_t: string, _s: string, msg: CloudToEdge) => (msg.type === 'firmware.update' && sent.push(msg.manifest.deviceId), 'sent' as const) },
      devices: { reported: () => devices },
      audit: sqlitePort(new AuditStore(db)),
      privateKey: keys.privateKey,
      log: createCloudLog({ level: 'silent' }),
      inMaintenance: async (_t, siteId, deviceId) => window && siteId === 's1' && deviceId === 'door-1',
    });
    const body = { deviceIds: ['door-1', 'env-1'], version: '2.0.0', url: 'https://fw.example/2.bin', sha256: 'a'.repeat(64), batchSize: 2, maxFailures: 0 };
    const created = await rollouts.create(admin, 's1', body, 'test');
    expect(sent).toEqual(['env-1']);
    expect(created.waiting).toContain('maintenance window');
    await rollouts.progress('t1', 's1', { type: 'firmware.progress', rolloutId: created.id, deviceId: 'env-1', state: 'done', ts: 1 });
    await rollouts.tick();
    expect(sent).toEqual(['env-1']);
    expect((await rollouts.get('t1', created.id)).devices.map((d) => d.state)).toEqual(['queued', 'done']);
    window = true;
    await rollouts.tick();
    expect(sent).toEqual(['env-1', 'door-1']);
    expect((await rollouts.get('t1', created.id)).waiting).toBeUndefined();
  });

  it('waits batchWaitSec after a batch ended before it sends the next', async () => {
    const db = openDb(':memory:');
    const keys = await generateSigningKeys();
    const sent: string[] = [];
    const rollouts = new FirmwareRollouts({
      store: sqlitePort(new FirmwareRolloutsStore(db)),
      hub: { deliver: async (_t: string, _s: string, msg: CloudToEdge) => (msg.type === 'firmware.update' && sent.push(msg.manifest.deviceId), 'sent' as const) },
      devices: { reported: () => reported },
      audit: sqlitePort(new AuditStore(db)),
      privateKey: keys.privateKey,
      log: createCloudLog({ level: 'silent' }),
      inMaintenance: async () => false,
    });
    const body = { deviceIds: ['d1', 'd2'], version: '2.0.0', url: 'https://fw.example/2.bin', sha256: 'a'.repeat(64), batchSize: 1, maxFailures: 0, batchWaitSec: 1 };
    const created = await rollouts.create(admin, 's1', body, 'test');
    await rollouts.progress('t1', 's1', { type: 'firmware.progress', rolloutId: created.id, deviceId: 'd1', state: 'done', ts: 1 });
    await rollouts.tick();
    expect(sent).toEqual(['d1']);
    expect((await rollouts.get('t1', created.id)).waiting).toMatch(/^next batch at /);
    await new Promise((r) => setTimeout(r, 1_100));
    await rollouts.tick();
    expect(sent).toEqual(['d1', 'd2']);
  });
});
