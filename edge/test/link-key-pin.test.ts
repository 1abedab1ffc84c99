import { afterEach, describe, expect, it } from 'vitest';
import { FakeCloud } from './support/fake-cloud';
import { startLinkSite, type LinkSite } from './support/link-site';
import { uniqueSite } from './support/test-edge';
import { waitFor } from './support/wait';

/** What the edge's LAN API answers a person presenting `token` (verified offline with the pinned key). */
async function lanStatus(s: LinkSite, token: string): Promise<number> {
  return (await fetch(`${s.edge.httpUrl}/api/v1/site`, { headers: { authorization: `Bearer ${token}` } })).status;
}

/** The cloud welcomed the edge at least `n` more times and the edge is not linked. */
async function refusedWelcomes(s: LinkSite, before: number, n = 2): Promise<void> {
  await waitFor(() => s.cloud.welcomes >= before + n && !s.edge.uplink!.connected, `${n} refused welcomes`);
}

describe('the cloud signing key is pinned on the edge', () => {
  let s: LinkSite;
  afterEach(() => s.close());

  it('refuses a new key without a rotation proof: the pin stays, the link stays down, the impostor is ignored', async () => {
    s = await startLinkSite();
    const genuine = await s.cloud.userToken('hq-operator');
    expect(await lanStatus(s, genuine)).toBe(200);
    const membersBefore = s.edge.ctx.permissions.size;
    const before = s.cloud.welcomes;
    // Whoever now answers on the cloud's address has a key of their own and a member list of their own.
    await s.cloud.rotateKey(false);
    s.cloud.members = [];
    s.cloud.version = 99;
    s.cloud.dropLinks();
    await refusedWelcomes(s, before);
    const forged = await s.cloud.userToken('hq-operator');
    expect(await lanStatus(s, forged)).toBe(401);
    expect(await lanStatus(s, genuine)).toBe(200);
    expect(s.edge.ctx.permissions.version).toBe(1);
    expect(s.edge.ctx.permissions.size).toBe(membersBefore);
  });

  it('follows a rotation the pinned key signed, and trusts only the new key afterwards', async () => {
    s = await startLinkSite();
    const oldKeyToken = await s.cloud.userToken('hq-operator');
    await s.cloud.rotateKey(true);
    s.cloud.dropLinks();
    const newKeyToken = await s.cloud.userToken('hq-operator');
    await waitFor(async () => (await lanStatus(s, newKeyToken)) === 200, 'new key pinned');
    await waitFor(() => s.edge.uplink!.connected, 'linked again');
    expect(await lanStatus(s, oldKeyToken)).toBe(401);
    // The proof names the key it rotated from; after another bare change the edge refuses again.
    const before = s.cloud.welcomes;
    await s.cloud.rotateKey(false);
    s.cloud.dropLinks();
    await refusedWelcomes(s, before);
    expect(await lanStatus(s, newKeyToken)).toBe(200);
  });

  it('on first use pins only a key that signed its own token', async () => {
    const issuer = await FakeCloud.start();
    const siteId = uniqueSite('link');
    const token = await issuer.edgeToken(siteId);
    await issuer.close();
    // The token came from the real issuer; the cloud URL leads somewhere else.
    const impostor = await FakeCloud.start();
    s = await startLinkSite({ cloud: impostor, siteId, token, linked: false });
    await refusedWelcomes(s, 0);
    expect(await lanStatus(s, await impostor.userToken('hq-operator'))).toBe(503);
    expect(s.edge.ctx.permissions.size).toBe(0);
  });

  it('on first use follows a proven rotation from the key that signed its token', async () => {
    const cloud = await FakeCloud.start();
    const siteId = uniqueSite('link');
    const token = await cloud.edgeToken(siteId);
    await cloud.rotateKey(true);
    s = await startLinkSite({ cloud, siteId, token });
    expect(await lanStatus(s, await cloud.userToken('hq-operator'))).toBe(200);
  });
});
