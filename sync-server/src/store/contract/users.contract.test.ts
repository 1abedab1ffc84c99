import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { TenantsStore } from '../tenants-store';
import { UsersStore, type UserRecord } from '../users-store';
import { PgTenantsStore } from '../postgres/pg-tenants-store';
import { PgUsersStore } from '../postgres/pg-users-store';
import { sqlitePort, type UsersPort } from '../ports';

/** The users port, with tenants t1 and t2 in place (SQLite holds users to an existing tenant). */
async function usersOf(b: Backend): Promise<UsersPort> {
  const tenants = b.kind === 'sqlite' ? sqlitePort(new TenantsStore(b.db)) : new PgTenantsStore(b.pg);
  await tenants.addTenant('t1', 'One');
  await tenants.addTenant('t2', 'Two');
  return b.kind === 'sqlite' ? sqlitePort(new UsersStore(b.db)) : new PgUsersStore(b.pg);
}

const user = (id: string, email: string, over: Partial<UserRecord> = {}): UserRecord => ({
  id,
  tenantId: 't1',
  email,
  name: `Name ${id}`,
  role: 'hq-operator',
  siteIds: ['a', 'b'],
  passwordHash: `hash-${id}`,
  disabled: false,
  ...over,
});

describeBackends('users store', (current) => {
  it('round-trips a user and finds it by id and by e-mail in any case, stored lower-case', async () => {
    const u = await usersOf(current());
    await u.insert(user('u1', 'Kim@Example.COM', { name: '김민수', siteIds: [] }));
    const expected = { ...user('u1', 'kim@example.com', { name: '김민수', siteIds: [] }), mustChangePassword: false };
    expect(await u.byId('u1')).toEqual(expected);
    expect(await u.byEmail('KIM@example.com')).toEqual(expected);
    expect(await u.byId('nobody')).toBeUndefined();
    expect(await u.byEmail('nobody@example.com')).toBeUndefined();
  });

  it('keeps disabled and must-change-password flags', async () => {
    const u = await usersOf(current());
    await u.insert(user('u1', 'a@example.com', { disabled: true, mustChangePassword: true, role: 'tenant-admin' }));
    const got = await u.byId('u1');
    expect(got?.disabled).toBe(true);
    expect(got?.mustChangePassword).toBe(true);
    expect(got?.role).toBe('tenant-admin');
  });

  it('refuses a second user with the same e-mail, whatever its case', async () => {
    const u = await usersOf(current());
    await u.insert(user('u1', 'a@example.com'));
    await expect(Promise.resolve().then(() => u.insert(user('u2', 'A@EXAMPLE.com')))).rejects.toThrow();
    expect(await u.byId('u2')).toBeUndefined();
    expect((await u.byEmail('a@example.com'))?.id).toBe('u1');
  });

  it('updates name, role, sites and disabled only', async () => {
    const u = await usersOf(current());
    await u.insert(user('u1', 'a@example.com', { mustChangePassword: true }));
    await u.update({ id: 'u1', name: 'Renamed', role: 'vendor', siteIds: ['c'], disabled: true });
    expect(await u.byId('u1')).toEqual({
      ...user('u1', 'a@example.com'),
      name: 'Renamed',
      role: 'vendor',
      siteIds: ['c'],
      disabled: true,
      mustChangePassword: true,
    });
    await u.update({ id: 'nobody', name: 'X', role: 'vendor', siteIds: [], disabled: false });
    expect(await u.byId('nobody')).toBeUndefined();
  });

  it('sets a password with or without the must-change flag', async () => {
    const u = await usersOf(current());
    await u.insert(user('u1', 'a@example.com'));
    await u.setPassword('u1', 'new-hash', { mustChange: true });
    expect(await u.byId('u1')).toMatchObject({ passwordHash: 'new-hash', mustChangePassword: true });
    await u.setPassword('u1', 'newer-hash');
    expect(await u.byId('u1')).toMatchObject({ passwordHash: 'newer-hash', mustChangePassword: false });
  });

  it('lists the users of one tenant ordered by e-mail', async () => {
    const u = await usersOf(current());
    await u.insert(user('u1', 'b@example.com'));
    await u.insert(user('u2', 'a@example.com'));
    await u.insert(user('u3', 'Z@example.com'));
    await u.insert(user('u4', 'c@example.com', { tenantId: 't2' }));
    expect((await u.ofTenant('t1')).map((x) => x.email)).toEqual(['a@example.com', 'b@example.com', 'z@example.com']);
    expect((await u.ofTenant('t2')).map((x) => x.id)).toEqual(['u4']);
    expect(await u.ofTenant('t3')).toEqual([]);
  });
});
