import { expect, it } from 'vitest';
import { describeBackends, type Backend } from './backends';
import { TenantsStore } from '../tenants-store';
import { TokensStore } from '../tokens-store';
import { UsersStore } from '../users-store';
import { PgTenantsStore } from '../postgres/pg-tenants-store';
import { PgTokensStore } from '../postgres/pg-tokens-store';
import { PgUsersStore } from '../postgres/pg-users-store';
import { sqlitePort, type TokensPort } from '../ports';

/** The tokens port, with users u1 and u2 of tenant t1 in place (refresh tokens belong to a user). */
async function tokensOf(b: Backend): Promise<TokensPort> {
  const tenants = b.kind === 'sqlite' ? sqlitePort(new TenantsStore(b.db)) : new PgTenantsStore(b.pg);
  const users = b.kind === 'sqlite' ? sqlitePort(new UsersStore(b.db)) : new PgUsersStore(b.pg);
  await tenants.addTenant('t1', 'One');
  for (const id of ['u1', 'u2'])
    await users.insert({
      id,
      tenantId: 't1',
      email: `${id}@example.com`,
      name: id,
      role: 'hq-operator',
      siteIds: [],
      passwordHash: 'h',
      disabled: false,
    });
  return b.kind === 'sqlite' ? sqlitePort(new TokensStore(b.db)) : new PgTokensStore(b.pg);
}

describeBackends('tokens store: refresh tokens', (current) => {
  it('round-trips a refresh token; an unknown hash is not found', async () => {
    const t = await tokensOf(current());
    await t.addRefresh('h1', 'u1', 'f1', 1_900_000_000_000, 1_800_000_000_000);
    expect(await t.refresh('h1')).toEqual({
      tokenHash: 'h1',
      userId: 'u1',
      familyId: 'f1',
      expiresAt: 1_900_000_000_000,
      usedAt: null,
      revokedAt: null,
    });
    expect(await t.refresh('nope')).toBeUndefined();
  });

  it('marks a token used only once, and never once revoked', async () => {
    const t = await tokensOf(current());
    await t.addRefresh('h1', 'u1', 'f1', 9_000, 0);
    await t.addRefresh('h2', 'u1', 'f2', 9_000, 0);
    expect(await t.markUsed('h1', 100)).toBe(true);
    expect(await t.markUsed('h1', 200)).toBe(false);
    expect((await t.refresh('h1'))?.usedAt).toBe(100);
    await t.revokeFamily('f2', 300);
    expect(await t.markUsed('h2', 400)).toBe(false);
    expect(await t.refresh('h2')).toMatchObject({ usedAt: null, revokedAt: 300 });
    expect(await t.markUsed('nope', 500)).toBe(false);
  });

  it('revokes a family and a user without touching tokens already revoked', async () => {
    const t = await tokensOf(current());
    await t.addRefresh('a1', 'u1', 'fa', 9_000, 0);
    await t.addRefresh('a2', 'u1', 'fa', 9_000, 0);
    await t.addRefresh('b1', 'u1', 'fb', 9_000, 0);
    await t.addRefresh('c1', 'u2', 'fc', 9_000, 0);
    await t.revokeFamily('fa', 10);
    expect((await t.refresh('a2'))?.revokedAt).toBe(10);
    expect((await t.refresh('b1'))?.revokedAt).toBeNull();
    expect(await t.revokeUser('u1', 20)).toBe(1);
    expect((await t.refresh('a1'))?.revokedAt).toBe(10);
    expect((await t.refresh('b1'))?.revokedAt).toBe(20);
    expect((await t.refresh('c1'))?.revokedAt).toBeNull();
    expect(await t.revokeUser('u1', 30)).toBe(0);
  });

  it('prunes at most `limit` tokens that expired before the cut-off', async () => {
    const t = await tokensOf(current());
    for (let i = 0; i < 5; i++) await t.addRefresh(`old${i}`, 'u1', 'f', 100 + i, 0);
    await t.addRefresh('edge', 'u1', 'f', 200, 0);
    await t.addRefresh('new', 'u1', 'f', 300, 0);
    expect(await t.pruneRefreshBefore(200, 3)).toBe(3);
    expect(await t.pruneRefreshBefore(200, 10)).toBe(2);
    expect(await t.pruneRefreshBefore(200, 10)).toBe(0);
    expect(await t.refresh('edge')).toBeDefined();
    expect(await t.refresh('new')).toBeDefined();
    for (let i = 0; i < 5; i++) expect(await t.refresh(`old${i}`)).toBeUndefined();
  });
});

describeBackends('tokens store: edge tokens', (current) => {
  it('round-trips edge tokens and lists a site in creation order', async () => {
    const t = await tokensOf(current());
    await t.addEdgeToken('j2', 't1', 'a', 20);
    await t.addEdgeToken('j1', 't1', 'a', 10);
    await t.addEdgeToken('j3', 't1', 'b', 30);
    await t.addEdgeToken('j4', 't2', 'a', 40);
    expect(await t.edgeToken('j1')).toEqual({ jti: 'j1', tenantId: 't1', siteId: 'a', revokedAt: null });
    expect(await t.edgeToken('nope')).toBeUndefined();
    expect(await t.edgeTokensOfSite('t1', 'a')).toEqual([
      { jti: 'j1', tenantId: 't1', siteId: 'a', createdAt: 10, revokedAt: null },
      { jti: 'j2', tenantId: 't1', siteId: 'a', createdAt: 20, revokedAt: null },
    ]);
    expect(await t.edgeTokensOfSite('t2', 'b')).toEqual([]);
  });

  it('revokes an edge token only within its own tenant, and only once', async () => {
    const t = await tokensOf(current());
    await t.addEdgeToken('j1', 't1', 'a', 10);
    expect(await t.revokeEdgeToken('t2', 'j1', 50)).toBe(false);
    expect((await t.edgeToken('j1'))?.revokedAt).toBeNull();
    expect(await t.revokeEdgeToken('t1', 'j1', 60)).toBe(true);
    expect(await t.revokeEdgeToken('t1', 'j1', 70)).toBe(false);
    expect((await t.edgeToken('j1'))?.revokedAt).toBe(60);
    expect(await t.revokeEdgeToken('t1', 'nope', 80)).toBe(false);
  });
});

describeBackends('tokens store: revocations', (current) => {
  it('answers a user revocation until it ends, widening on a later call only', async () => {
    const t = await tokensOf(current());
    await t.revokeUserTokens('t1', 'u1', 1_000, 5_000);
    expect(await t.userRevokedBefore('t1', 'u1', 4_999)).toBe(1_000);
    await t.revokeUserTokens('t1', 'u1', 500, 3_000);
    expect(await t.userRevokedBefore('t1', 'u1', 4_999)).toBe(1_000);
    await t.revokeUserTokens('t1', 'u1', 2_000, 6_000);
    expect(await t.userRevokedBefore('t1', 'u1', 5_500)).toBe(2_000);
    expect(await t.userRevokedBefore('t1', 'u1', 6_000)).toBeUndefined();
    expect(await t.userRevokedBefore('t2', 'u1', 0)).toBeUndefined();
    expect(await t.userRevokedBefore('t1', 'u2', 0)).toBeUndefined();
  });

  it('answers a token id revocation per tenant until its expiry', async () => {
    const t = await tokensOf(current());
    await t.revokeTokenId('t1', 'j1', 1_000);
    expect(await t.tokenRevoked('t1', 'j1', 999)).toBe(true);
    expect(await t.tokenRevoked('t1', 'j1', 1_000)).toBe(false);
    expect(await t.tokenRevoked('t2', 'j1', 0)).toBe(false);
    // a token id and a user id with the same text are different subjects
    expect(await t.userRevokedBefore('t1', 'j1', 0)).toBeUndefined();
  });

  it('lists revocations in force newest-ending first, at most `limit`, and drops expired ones', async () => {
    const t = await tokensOf(current());
    await t.revokeUserTokens('t1', 'u1', 100, 2_000);
    await t.revokeTokenId('t1', 'j1', 3_000);
    await t.revokeTokenId('t1', 'j0', 500);
    await t.revokeTokenId('t2', 'j9', 4_000);
    expect(await t.revocations('t1', 1_000, 10)).toEqual([
      { kind: 'token', subject: 'j1', before: 0, until: 3_000 },
      { kind: 'user', subject: 'u1', before: 100, until: 2_000 },
    ]);
    expect(await t.revocations('t1', 1_000, 1)).toEqual([{ kind: 'token', subject: 'j1', before: 0, until: 3_000 }]);
    // the expired entry was deleted, not just hidden: asking about an earlier moment does not bring it back
    expect(await t.revocations('t1', 0, 10)).toHaveLength(2);
    expect(await t.tokenRevoked('t1', 'j0', 0)).toBe(false);
    expect(await t.revocations('t2', 1_000, 10)).toEqual([{ kind: 'token', subject: 'j9', before: 0, until: 4_000 }]);
  });
});
