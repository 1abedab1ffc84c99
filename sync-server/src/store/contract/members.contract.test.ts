import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import type { CloudMember } from '../../domain/member-model';
import { CredentialInUseError, MembersStore } from '../members-store';
import { TenantKeyError, TenantKeys } from '../tenant-keys-store';
import { PgMembersStore } from '../postgres/pg-members-store';
import { sqlitePort, type MembersPort } from '../ports';

const membersOf = (b: Backend, key = randomBytes(32)): MembersPort =>
  b.kind === 'sqlite' ? sqlitePort(new MembersStore(b.db, new TenantKeys(b.db, key))) : new PgMembersStore(b.pg, key);

const NAME = '이서연 Lee-81f2';
const CARD = 'card-93c0ab17e5';
const member = (id: string, card: string, name = NAME): CloudMember => ({
  id,
  name,
  active: true,
  credentials: [{ type: 'card', value: card }],
  grants: [{ zoneIds: ['lobby'] }],
  secureMode: false,
  offlineWhitelist: false,
});

/** Every stored byte of the member tables, as text. */
async function storedText(b: Backend): Promise<string> {
  const sql = `SELECT body, NULL AS credential FROM members UNION ALL SELECT NULL, credential FROM member_credentials`;
  const rows =
    b.kind === 'sqlite'
      ? (b.db.prepare(sql).all() as Array<{ body: Buffer | null; credential: Buffer | null }>)
      : (await b.pg.pool.query<{ body: Buffer | null; credential: Buffer | null }>(sql)).rows;
  return rows.map((r) => (r.body ?? r.credential ?? Buffer.alloc(0)).toString('latin1')).join('');
}

describeBackends('members store', (current) => {
  it('versions every change per tenant and gives an edge exactly what changed after its version', async () => {
    const m = membersOf(current());
    expect(await m.version('t1')).toBe(0);
    const v1 = await m.upsert('t1', [member('m-1', 'c-1'), member('m-2', 'c-2')]);
    const v2 = await m.upsert('t1', [member('m-3', 'c-3')]);
    const v3 = (await m.remove('t1', 'm-1'))!;
    expect([v1, v2, v3]).toEqual([1, 2, 3]);
    expect(await m.remove('t1', 'nobody')).toBeUndefined();
    expect(await m.version('t1')).toBe(3);
    const delta = await m.changesSince('t1', 1);
    expect(delta.version).toBe(3);
    expect(delta.upserts.map((u) => u.id)).toEqual(['m-3']);
    expect(delta.removals).toEqual(['m-1']);
    expect((await m.members('t1')).map((u) => u.id)).toEqual(['m-2', 'm-3']);
    expect(await m.member('t1', 'm-1')).toBeUndefined();
    expect(await m.member('t1', 'm-2')).toEqual(member('m-2', 'c-2'));
    expect(await m.version('t2')).toBe(0);
  });

  it('keeps a credential unique in a tenant and stores nothing of a refused change', async () => {
    const m = membersOf(current());
    await m.upsert('t1', [member('m-1', CARD)]);
    await expect(m.upsert('t1', [member('m-9', 'c-9'), member('m-2', CARD)])).rejects.toBeInstanceOf(
      CredentialInUseError,
    );
    expect(await m.member('t1', 'm-9')).toBeUndefined();
    expect(await m.version('t1')).toBe(1);
    // The same card in another tenant, and the card again once its holder is removed.
    await m.upsert('t2', [member('m-2', CARD)]);
    await m.remove('t1', 'm-1');
    await m.upsert('t1', [member('m-2', CARD)]);
    expect(await m.credentialHolder('t1', { type: 'card', value: CARD })).toBe('m-2');
  });

  it('holds no name or card number in clear, and opens with no other master key', async () => {
    const b = current();
    const key = randomBytes(32);
    await membersOf(b, key).upsert('t1', [member('m-1', CARD)]);
    const text = await storedText(b);
    expect(text).not.toContain(CARD);
    expect(text).not.toContain('Lee-81f2');
    await expect(membersOf(b, randomBytes(32)).members('t1')).rejects.toBeInstanceOf(TenantKeyError);
    expect(await membersOf(b, key).member('t1', 'm-1')).toEqual(member('m-1', CARD));
  });

  it('concurrent changes of one tenant take distinct versions and lose nothing', async () => {
    const key = randomBytes(32);
    const writers = [membersOf(current(), key), membersOf(current(), key)];
    const versions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => writers[i % 2]!.upsert('t1', [member(`m-${i}`, `c-${i}`)])),
    );
    expect(new Set(versions).size).toBe(12);
    expect((await writers[0]!.changesSince('t1', 0)).upserts).toHaveLength(12);
  });
});
