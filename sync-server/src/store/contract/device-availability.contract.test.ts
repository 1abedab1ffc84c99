import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { DeviceAvailabilityStore } from '../device-availability-store';
import { PgDeviceAvailabilityStore } from '../postgres/pg-device-availability-store';
import { sqlitePort, type DeviceAvailabilityPort } from '../ports';

const storeOf = (b: Backend): DeviceAvailabilityPort =>
  b.kind === 'sqlite' ? sqlitePort(new DeviceAvailabilityStore(b.db)) : new PgDeviceAvailabilityStore(b.pg);

const on = (deviceId: string, at: number) => ({ deviceId, at, online: true });
const off = (deviceId: string, at: number) => ({ deviceId, at, online: false });

describeBackends('device availability store', (current) => {
  it('keeps transitions per tenant, site and device; the latest of each device; a device’s since a time, led by the state it was in', async () => {
    const store = storeOf(current());
    await store.append('t1', 'gangnam', [on('door-1', 100), on('env-1', 100)], 100);
    await store.append('t1', 'gangnam', [off('door-1', 200), on('door-1', 300)], 100);
    await store.append('t1', 'gangnam', [on('door-1', 300)], 100);
    await store.append('t1', 'hongdae', [off('door-1', 250)], 100);
    await store.append('t2', 'gangnam', [off('door-1', 400)], 100);

    expect(await store.latest('t1', 'gangnam')).toEqual([on('door-1', 300), on('env-1', 100)]);
    expect(await store.latest('t1', 'hongdae')).toEqual([off('door-1', 250)]);
    expect(await store.latest('t3', 'gangnam')).toEqual([]);
    expect(await store.since('t1', 'gangnam', 'door-1', 250)).toEqual([off('door-1', 200), on('door-1', 300)]);
    expect(await store.since('t1', 'gangnam', 'door-1', 200)).toEqual([off('door-1', 200), on('door-1', 300)]);
    expect(await store.since('t1', 'gangnam', 'door-1', 50)).toEqual([on('door-1', 100), off('door-1', 200), on('door-1', 300)]);
    expect(await store.since('t2', 'gangnam', 'door-1', 0)).toEqual([off('door-1', 400)]);
    expect(await store.since('t1', 'gangnam', 'ghost', 0)).toEqual([]);
  });

  it('keeps at most N transitions per device, the newest', async () => {
    const store = storeOf(current());
    const flaps = Array.from({ length: 12 }, (_, i) => ({ deviceId: 'cam-1', at: 1_000 + i, online: i % 2 === 0 }));
    await store.append('t1', 'gangnam', flaps, 5);
    await store.append('t1', 'gangnam', [on('env-1', 1_000)], 5);
    expect(await store.since('t1', 'gangnam', 'cam-1', 0)).toEqual(flaps.slice(-5));
    expect(await store.since('t1', 'gangnam', 'env-1', 0)).toEqual([on('env-1', 1_000)]);
  });

  it('prunes what is older than a time but keeps each device’s last transition (what it has been since)', async () => {
    const store = storeOf(current());
    await store.append('t1', 'gangnam', [on('door-1', 100), off('door-1', 200), on('door-1', 900)], 100);
    await store.append('t1', 'gangnam', [off('env-1', 100)], 100);
    expect(await store.deleteBefore(500)).toBe(2);
    expect(await store.since('t1', 'gangnam', 'door-1', 0)).toEqual([on('door-1', 900)]);
    expect(await store.since('t1', 'gangnam', 'env-1', 0)).toEqual([off('env-1', 100)]);
    expect(await store.since('t1', 'gangnam', 'env-1', 600)).toEqual([off('env-1', 100)]);
  });
});
