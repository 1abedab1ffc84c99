import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { DeviceLoginsStore } from '../device-logins-store';
import { PgDeviceLoginsStore } from '../postgres/pg-device-logins-store';
import { sqlitePort, type DeviceLoginsPort } from '../ports';

const storeOf = (b: Backend): DeviceLoginsPort => (b.kind === 'sqlite' ? sqlitePort(new DeviceLoginsStore(b.db)) : new PgDeviceLoginsStore(b.pg));
const login = (deviceId: string, hash = 'scrypt$32768$8$1$c2FsdA$aGFzaA', issuedAt = 1_000) => ({ deviceId, username: `dev.${deviceId}`, passwordHash: hash, issuedAt, issuedBy: 'u1' });

describeBackends('device logins store', (current) => {
  it('keeps logins per tenant and site, rotates on a second issue and revokes once', async () => {
    const store = storeOf(current());
    await store.issue('t1', 'gangnam', login('door-1'));
    await store.issue('t1', 'gangnam', login('fire-1'));
    await store.issue('t2', 'gangnam', login('door-1'));
    await store.issue('t1', 'gangnam', login('door-1', 'scrypt$32768$8$1$c2FsdA$bmV3', 2_000));
    const site = await store.ofSite('t1', 'gangnam');
    expect(site.map((l) => [l.deviceId, l.passwordHash, l.issuedAt])).toEqual([
      ['door-1', 'scrypt$32768$8$1$c2FsdA$bmV3', 2_000],
      ['fire-1', 'scrypt$32768$8$1$c2FsdA$aGFzaA', 1_000],
    ]);
    expect(await store.revoke('t1', 'gangnam', 'fire-1', 3_000)).toBe(true);
    expect(await store.revoke('t1', 'gangnam', 'fire-1', 4_000)).toBe(false);
    expect(await store.revoke('t1', 'gangnam', 'nobody', 4_000)).toBe(false);
    expect((await store.ofSite('t1', 'gangnam')).find((l) => l.deviceId === 'fire-1')?.revokedAt).toBe(3_000);
    expect((await store.ofSite('t2', 'gangnam')).map((l) => l.revokedAt)).toEqual([undefined]);
    // issuing again after a revocation puts the device's login back in force
    await store.issue('t1', 'gangnam', login('fire-1', 'scrypt$32768$8$1$c2FsdA$YWdhaW4', 5_000));
    const again = (await store.ofSite('t1', 'gangnam')).find((l) => l.deviceId === 'fire-1');
    expect(again?.issuedAt).toBe(5_000);
    expect(again?.revokedAt).toBeUndefined();
  });
});
