import { afterEach, describe, expect, it } from 'vitest';
import { FakeCloud } from './support/fake-cloud';
import { startLinkSite, type LinkSite } from './support/link-site';
import { uniqueSite } from './support/test-edge';
import { waitFor } from './support/wait';

const expOf = (token: string): number => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;

describe('edge token renewal over the link', () => {
  let s: LinkSite;
  afterEach(() => s.close());

  it('replaces a token near expiry and reconnects with the new one after the old one expired', async () => {
    const cloud = await FakeCloud.start();
    // Like the real cloud: an expired token is refused, and one past half its life is renewed on hello.
    cloud.acceptToken = (token) => token !== undefined && expOf(token) * 1000 > Date.now();
    cloud.renewTokensForMs = 3_600_000;
    const siteId = uniqueSite('link');
    const now = Math.floor(Date.now() / 1000);
    const old = await cloud.edgeToken(siteId, { iat: now - 60, exp: now + 2 });
    s = await startLinkSite({ cloud, siteId, token: old });
    const fresh = await waitFor(() => (s.edge.uplink!.tokens.current !== old ? s.edge.uplink!.tokens.current : undefined), 'token renewed');
    expect(expOf(fresh)).toBeGreaterThan(now + 3_000);

    await waitFor(() => Date.now() > expOf(old) * 1000, 'old token expired', 5_000, 100);
    const links = cloud.linkTokens.length;
    const syncs = cloud.syncTokens.length;
    cloud.dropLinks({ syncs: true });
    await waitFor(() => cloud.linkTokens.length > links && s.edge.uplink!.connected, 'linked again');
    expect(cloud.linkTokens.slice(links)).toEqual(cloud.linkTokens.slice(links).map(() => fresh));
    await waitFor(() => cloud.syncTokens.length > syncs, 'document sync back', 10_000);
    expect(cloud.syncTokens.slice(syncs).every((t) => t === fresh)).toBe(true);

    // A restart with the old token on the command line still uses the newest one it holds.
    const beforeRestart = cloud.linkTokens.length;
    await s.restart(old);
    await waitFor(() => s.edge.uplink!.connected, 'linked after restart');
    expect(cloud.linkTokens.slice(beforeRestart).every((t) => t === fresh)).toBe(true);
  });

  it('keeps its token when the cloud sends one not signed by the pinned key, or for another site', async () => {
    s = await startLinkSite();
    const current = s.edge.uplink!.tokens.current;
    const forger = await FakeCloud.start();
    const later = Math.floor(Date.now() / 1000) + 100;
    s.cloud.broadcast({ type: 'token', token: await forger.edgeToken(s.siteId, { iat: later }) });
    s.cloud.broadcast({ type: 'token', token: await s.cloud.edgeToken('another-site', { iat: later }) });
    await forger.close();
    // Had either been taken, this older genuine token would now be refused as older than the one in use.
    const genuine = await s.cloud.edgeToken(s.siteId, { iat: later - 99 });
    s.cloud.broadcast({ type: 'token', token: genuine });
    await waitFor(() => s.edge.uplink!.tokens.current === genuine, 'genuine token taken');
    expect(current).not.toBe(genuine);
  });
});
